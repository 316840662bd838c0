package io.stochastic.devops.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Objects the cluster tests create, written as YAML as a user would write them. */
public final class TestingObjects {
  private TestingObjects() {}

  /**
   * A DevOpsPolicy file as a policy repository holds it: name and bundle, no namespace (its
   * {@code namespaces/<ns>/} directory gives it one).
   */
  public static String policy(String name, String bundle) {
    return """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata:
          name: %s
        spec:
          bundle: %s
        """.formatted(name, bundle);
  }

  /** Creates the object of {@code yaml} in the client's namespace (unless it names one). */
  public static HasMetadata create(KubernetesClient client, String yaml) {
    return client.resource(client.getKubernetesSerialization()
        .unmarshal(yaml, HasMetadata.class)).create();
  }

  /**
   * Creates the one-replica Deployment {@code web} of a container ({@code app}, {@code image})
   * without probes or limits: a workload the baseline bundle finds violations in.
   */
  public static HasMetadata deployment(KubernetesClient client, String image) {
    return create(client, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: app, image: "%s"}]}
        """.formatted(image));
  }

  /**
   * A bare Running pod (container {@code app}, image {@code redis:7.4}) whose container has
   * restarted {@code restarts} times, its status written through {@code /status} as a kubelet
   * would.
   */
  public static Pod runningPod(KubernetesClient client, String name, int restarts) {
    Pod pod = (Pod) create(client, """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          containers: [{name: app, image: "redis:7.4"}]
        """.formatted(name));
    pod.setStatus(new PodStatusBuilder().withPhase("Running")
        .addNewContainerStatus().withName("app").withRestartCount(restarts).withReady(true)
        .withImage("redis:7.4").withImageID("").withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus().build());
    return client.pods().resource(pod).updateStatus();
  }

  /**
   * Creates ServiceAccount {@code account} in the namespace and writes to {@code file} a
   * kubeconfig (context {@code account}) that authenticates as it with a token from the
   * TokenRequest API: what a pod running under that account presents to the API server.
   */
  public static Path serviceAccountKubeconfig(TestingNamespace ns, String account, Path file)
      throws IOException {
    KubernetesClient admin = ns.client();
    admin.serviceAccounts().resource(new ServiceAccountBuilder()
        .withNewMetadata().withName(account).endMetadata().build()).create();
    String token = admin.serviceAccounts().withName(account).tokenRequest(
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    return Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: %s, user: {token: "%s"}}]
        contexts: [{name: %s, context: {cluster: c, user: %s, namespace: %s}}]
        current-context: %s
        """.formatted(ns.server().config().getMasterUrl(), account, token, account, account,
        ns.name(), account));
  }
}
