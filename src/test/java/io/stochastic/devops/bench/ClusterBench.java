package io.stochastic.devops.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.testing.TestingApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The cluster benchmark of docs/benchmarks.md: starts a test API server, fills it with
 * {@code namespaces} × {@code pods} pods (each with a status: phase, restarts) and a DevOpsPolicy
 * per namespace, writes a kubeconfig for it, then runs the given shell command with
 * {@code KUBECONFIG} set (scripts/bench.sh cluster times the CLI inside it) and stops the server.
 *
 * <pre>java -cp ... io.stochastic.devops.bench.ClusterBench 100 100 target/bench-cluster 'cmd'</pre>
 */
public final class ClusterBench {
  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    int namespaces = Integer.parseInt(args[0]);
    int pods = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]);
    String command = args[3];
    Files.createDirectories(dir);
    try (TestingApiServer server = TestingApiServer.start("bench")) {
      long started = System.nanoTime();
      fill(server.client(), namespaces, pods);
      System.err.printf("bench: %d pods in %d namespaces created in %.1f s%n", namespaces * pods,
          namespaces, (System.nanoTime() - started) / 1e9);
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"),
          server.kubeconfigYaml());
      ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).inheritIO();
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      int exit = builder.start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("the benchmark command exited " + exit);
      }
    }
  }

  /**
   * Creates namespaces {@code bench-000}... ({@code namespaces} of them) with a DevOpsPolicy
   * {@code policy} each (every third {@code restricted}, the others {@code baseline}) and
   * {@code pods} pods each, with a status; also used by {@link OperatorBench}.
   */
  static void fill(KubernetesClient client, int namespaces, int pods) throws Exception {
    List<String> names = new ArrayList<>();
    for (int n = 0; n < namespaces; n++) {
      names.add(String.format("bench-%03d", n));
    }
    fill(client, names, pods);
  }

  /** {@link #fill(KubernetesClient, int, int)} with the namespaces named. */
  static void fill(KubernetesClient client, List<String> namespaces, int pods) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int n = 0; n < namespaces.size(); n++) {
        String ns = namespaces.get(n);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
            .endMetadata().build()).create();
        client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(ns)
            .resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("devops.stochastic.io/v1").withKind("DevOpsPolicy")
                .withNewMetadata().withName("policy").withNamespace(ns).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("bundle",
                    n % 3 == 0 ? "restricted" : "baseline", "maxRestartCount", 3)))
                .build()).create();
        for (int p = 0; p < pods; p++) {
          int index = p;
          work.add(pool.submit(() -> pod(client, ns, index)));
        }
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A pod as a team writes one: some probes and limits missing, some restarts. */
  private static void pod(KubernetesClient client, String ns, int index) {
    Pod pod = benchPod(ns, index);
    PodStatus status = pod.getStatus();
    pod.setStatus(null);
    pod = client.pods().inNamespace(ns).resource(pod).create();
    pod.setStatus(status);
    client.pods().inNamespace(ns).resource(pod).updateStatus();
  }

  /** The pod {@code index} of the fill, with its status; also used by {@code ReconcilePhase}. */
  public static Pod benchPod(String ns, int index) {
    PodBuilder builder = new PodBuilder().withNewMetadata().withName("app-" + index)
        .withNamespace(ns).addToLabels("app", "app-" + (index % 10)).endMetadata()
        .withNewSpec().addNewContainer().withName("app")
        .withImage(index % 7 == 0 ? "nginx:latest" : "nginx:1.27." + (index % 5))
        .withNewResources().addToRequests("cpu",
            new io.fabric8.kubernetes.api.model.Quantity("100m")).endResources()
        .addNewPort().withContainerPort(8080).endPort().endContainer()
        .addNewContainer().withName("sidecar").withImage("envoyproxy/envoy:v1.31.0")
        .endContainer().endSpec();
    Pod pod = builder.build();
    pod.setStatus(new PodStatusBuilder().withPhase(index % 20 == 0 ? "Pending" : "Running")
        .withStartTime("2026-11-22T10:00:00Z")
        .addNewContainerStatus().withName("app").withRestartCount(index % 9).withReady(true)
        .withImage("nginx").withImageID("").withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus()
        .addNewContainerStatus().withName("sidecar").withRestartCount(0).withReady(true)
        .withImage("envoy").withImageID("").withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus().build());
    return pod;
  }
}
