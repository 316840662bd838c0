package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.deploy.RbacManifests;
import io.stochastic.devops.deploy.RbacModel;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One long-running {@code bin/kube-devops} component process ({@code reconcile}, {@code watch})
 * over the packaged jar, on the test's namespace (its Lease too), serving on a free port, its
 * output in {@code log}; {@code identity} is its holder identity in the Lease (as {@code
 * POD_NAME} from the downward API), or null for the default.
 */
final class ComponentProcess implements AutoCloseable {
  static final String OPERATOR_LEASE = "kube-devops-operator";
  static final String WATCH_LEASE = "kube-devops-watch";
  private static final Pattern PORT = Pattern.compile("/metrics on port (\\d+)");

  final String identity;
  final Path log;
  final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private ComponentProcess(String identity, Path log, Process process) {
    this.identity = identity;
    this.log = log;
    this.process = process;
  }

  /** {@code kube-devops reconcile}, the operator. */
  static ComponentProcess start(TestingNamespace ns, Path log, String identity)
      throws IOException {
    return start("reconcile", ns, log, identity);
  }

  /** {@code kube-devops COMMAND} with the test's kubeconfig, namespace and a free port. */
  static ComponentProcess start(String command, TestingNamespace ns, Path log, String identity)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder("bin/kube-devops", command,
        "--kubeconfig", ns.kubeconfig().toString(), "-n", ns.name(), "--metrics-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    if (identity != null) {
      builder.environment().put("POD_NAME", identity);
    }
    return new ComponentProcess(identity, log, builder.start());
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** The port it serves on, once it has said so. */
  int port() {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      Matcher port = PORT.matcher(log());
      return port.find() ? Integer.parseInt(port.group(1)) : null;
    }, p -> p != null);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM, then asserts the process exits 0 within 30 s. */
  void terminateCleanly() throws Exception {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(log()).isTrue();
    assertThat(process.exitValue()).as(log()).isZero();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /**
   * Creates in the test's namespace the RBAC {@code deploy generate-rbac} prints for {@code
   * component} (the ServiceAccount is the caller's); the cluster-scoped objects are renamed per
   * namespace, so that tests in parallel do not share them. Returns that name, for {@link
   * #deleteGeneratedRbac}.
   */
  static String createGeneratedRbac(TestingNamespace ns, Component component) {
    String clusterName = component.accountName() + "-" + ns.name();
    for (HasMetadata object : new RbacManifests(ns.name(), "test")
        .objects(new RbacModel(TestUtils.catalog().definitions()).of(component))) {
      if (object instanceof ClusterRole role) {
        role.getMetadata().setName(clusterName);
      } else if (object instanceof ClusterRoleBinding binding) {
        binding.getMetadata().setName(clusterName);
        binding.getRoleRef().setName(clusterName);
      }
      if (!(object instanceof ServiceAccount)) {
        ns.client().resource(object).create();
      }
    }
    return clusterName;
  }

  static void deleteGeneratedRbac(TestingNamespace ns, String clusterName) {
    ns.client().rbac().clusterRoleBindings().withName(clusterName).delete();
    ns.client().rbac().clusterRoles().withName(clusterName).delete();
  }

  /** No operator is left to run the finalizer: drops it, so that the namespace can go. */
  static void dropFinalizer(TestingNamespace ns, String policy) {
    ns.client().resources(DevOpsPolicy.class).withName(policy).edit(p -> {
      p.getMetadata().setFinalizers(List.of());
      return p;
    });
  }
}
