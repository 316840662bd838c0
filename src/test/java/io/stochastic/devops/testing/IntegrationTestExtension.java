package io.stochastic.devops.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Resolves the harness's parameter types; everything starts on first use, so a test pays only
 * for what it asks for.
 *
 * <ul>
 *   <li>{@link TestingApiServer}: the API server, one per {@link Cluster} name for the whole test
 *       run (JUnit's root store stops it at the end; a shutdown hook if the JVM exits first). A
 *       server that failed to start fails every later test that asks for it at once, with the
 *       same cause.
 *   <li>{@link TestingNamespace}: a fresh namespace on that server for the asking scope — each
 *       test method (shared with its {@code @BeforeEach}/{@code @AfterEach}) gets its own, a
 *       {@code @BeforeAll} method one for the class — deleted when the scope ends.
 *   <li>{@code KubernetesClient}: that namespace's admin client (its default namespace).
 *   <li>{@link TestingPushgateway}, {@link TestingGitServer}, {@link TestingSshGitServer}: a new
 *       one per asking scope, stopped when it ends; the test is skipped, saying why, when the
 *       program is missing (failed on CI, where .ci/run installs it).
 * </ul>
 *
 * <p>JUnit reports any exception of a parameter resolver as a failure; the exception handlers
 * below turn a resolver's abort (a missing program) back into a skipped test with its message.
 */
public final class IntegrationTestExtension
    implements ParameterResolver, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
  private static final Namespace STORE = Namespace.create(IntegrationTestExtension.class);
  private static final Set<Class<?>> CLUSTER_TYPES =
      Set.of(TestingApiServer.class, TestingNamespace.class, KubernetesClient.class);
  private static final Set<Class<?>> SERVER_TYPES =
      Set.of(TestingPushgateway.class, TestingGitServer.class, TestingSshGitServer.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return CLUSTER_TYPES.contains(type) || SERVER_TYPES.contains(type);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (SERVER_TYPES.contains(type)) {
      if (parameter.isAnnotated(Cluster.class)) {
        throw new ParameterResolutionException("@Cluster applies to cluster parameters, not " + type.getSimpleName());
      }
      Store store = context.getStore(STORE);
      if (type == TestingPushgateway.class) {
        return store.computeIfAbsent(key(context, "pushgateway"), k -> TestingPushgateway.start(), TestingPushgateway.class);
      }
      if (type == TestingSshGitServer.class) {
        return store.computeIfAbsent(key(context, "ssh-git"), k -> TestingSshGitServer.start(), TestingSshGitServer.class);
      }
      return store.computeIfAbsent(key(context, "git"), k -> TestingGitServer.start(), TestingGitServer.class);
    }
    String cluster = parameter.findAnnotation(Cluster.class).map(Cluster::value).orElse(Cluster.PRIMARY);
    if (type == TestingApiServer.class) {
      return server(context, cluster);
    }
    TestingNamespace namespace = namespace(context, cluster);
    return type == TestingNamespace.class ? namespace : namespace.client();
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    throw abortedResolution(throwable);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw abortedResolution(throwable);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw abortedResolution(throwable);
  }

  private static Throwable abortedResolution(Throwable throwable) {
    return throwable instanceof ParameterResolutionException && throwable.getCause() instanceof TestAbortedException
        ? throwable.getCause()
        : throwable;
  }

  private static TestingApiServer server(ExtensionContext context, String cluster) {
    return context
        .getRoot()
        .getStore(STORE)
        .computeIfAbsent("kube-apiserver " + cluster, k -> new ServerStart(cluster), ServerStart.class)
        .server();
  }

  private static TestingNamespace namespace(ExtensionContext context, String cluster) {
    String prefix =
        context.getTestMethod()
            .map(m -> context.getRequiredTestClass().getSimpleName() + "-" + m.getName())
            .orElseGet(() -> context.getRequiredTestClass().getSimpleName());
    return context
        .getStore(STORE)
        .computeIfAbsent(
            key(context, "namespace " + cluster),
            k -> server(context, cluster).createNamespace(prefix),
            TestingNamespace.class);
  }

  /** Store lookups fall back to enclosing scopes; the scope's id in the key keeps each scope's own. */
  private static String key(ExtensionContext context, String what) {
    return what + " in " + context.getUniqueId();
  }

  /** One start attempt per cluster name and run: its server, or why it failed. */
  private static final class ServerStart implements AutoCloseable {
    private final String cluster;
    private final TestingApiServer server;
    private final RuntimeException failure;

    ServerStart(String cluster) {
      this.cluster = cluster;
      TestingApiServer started = null;
      RuntimeException failed = null;
      try {
        started = TestingApiServer.start(cluster);
      } catch (RuntimeException e) {
        failed = e;
      }
      this.server = started;
      this.failure = failed;
    }

    TestingApiServer server() {
      if (failure != null) {
        throw new IllegalStateException(
            "kube-apiserver '" + cluster + "' failed to start in this run: " + failure.getMessage(), failure);
      }
      return server;
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }
}
