package io.stochastic.devops.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fresh namespace on a {@link TestingApiServer}, with clients whose default namespace it is.
 * Closing it closes those clients, removes its kubeconfig file and deletes the namespace without
 * waiting: it is Terminating (new objects in it are refused, which makes a leak from one test into
 * the next visible) until the controller manager's namespace controller has deleted its contents
 * and then the namespace, usually within seconds.
 */
public final class TestingNamespace implements AutoCloseable {
  private final TestingApiServer server;
  private final String name;
  private final List<KubernetesClient> owned = new ArrayList<>();
  private KubernetesClient client;
  private Path kubeconfig;

  TestingNamespace(TestingApiServer server, String name) {
    this.server = server;
    this.name = name;
  }

  public String name() {
    return name;
  }

  public TestingApiServer server() {
    return server;
  }

  /** The admin client ({@code system:masters}) with this namespace as its default; do not close it. */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = own(server.newClient(c -> c.withNamespace(name)));
    }
    return client;
  }

  /**
   * A client that impersonates {@code user} in {@code groups} (plus {@code system:authenticated}),
   * so that RBAC decides what it may do; closed with the namespace.
   */
  public synchronized KubernetesClient clientAs(String user, String... groups) {
    String[] allGroups = Stream.concat(Stream.of(groups), Stream.of("system:authenticated")).toArray(String[]::new);
    return own(
        server.newClient(c -> c.withNamespace(name).withImpersonateUsername(user).withImpersonateGroups(allGroups)));
  }

  /**
   * A kubeconfig file whose one context ({@code kube-devops-test}) points at this namespace, for
   * code that reads kubeconfig files (the CLI's {@code --kubeconfig}); removed on close.
   */
  public synchronized Path kubeconfig() {
    if (kubeconfig == null) {
      try {
        Path file = Files.createTempFile("kubeconfig-" + name + "-", ".yaml");
        String context = TestingKubeconfig.DEFAULT_CONTEXT;
        kubeconfig = TestingKubeconfig.write(file, context, Map.of(context, this));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a kubeconfig for " + name, e);
      }
    }
    return kubeconfig;
  }

  private synchronized KubernetesClient own(KubernetesClient created) {
    owned.add(created);
    return created;
  }

  @Override
  public synchronized void close() throws IOException {
    owned.forEach(KubernetesClient::close);
    owned.clear();
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
    }
    server.client().namespaces().withName(name).delete();
  }

  @Override
  public String toString() {
    return name + " on " + server.name();
  }
}
