package io.stochastic.devops.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.kube.CachedObjectSource;
import io.stochastic.devops.kube.ClusterAudit;
import io.stochastic.devops.kube.ClusterObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.runtime.ComponentRuntime;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.StopSignal;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch engine against a real API server, served as {@code watch} serves it: its {@code
 * /metrics} follows pods being created, restarting and deleted, its scores are those {@code
 * analyze} computes under the namespace's DevOpsPolicy, and a burst of pod status writes costs a
 * few evaluations, not one per write.
 */
@IntegrationTest
class WatchEngineIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Engine ENGINE = new Engine(EngineSettings.DEFAULT, Clock.systemUTC());

  private final HttpClient http = HttpClient.newHttpClient();
  private final StopSignal stop = new StopSignal();
  private KubernetesClient client;
  private String namespace;
  private WatchEngine watch;
  private ComponentRuntime runtime;
  private Thread worker;

  private void start(TestingNamespace ns, Duration resync) {
    client = ns.client();
    namespace = ns.name();
    PrometheusRegistry registry = new PrometheusRegistry();
    WatchMetrics metrics = new WatchMetrics(registry);
    runtime = ComponentRuntime.start(ComponentSettings.defaults("watch", namespace).withPort(0)
        .withLeaderElection(false), client, registry);
    watch = WatchEngine.start(ClusterSession.over(client, "test"), ENGINE, new ResolvedPolicies(TestUtils.resolver()),
        TestUtils.bundle("baseline"),
        CachedObjectSource.resourcesFor(TestUtils.catalog().definitions()),
        WatchSettings.defaults().withNamespaces(Set.of(namespace)).withResync(resync), metrics,
        runtime::mayWork, Clock.systemUTC());
    worker = new Thread(() -> runtime.runUntilStopped(stop, () -> {
      watch.round();
      return WatchSettings.DEFAULT_COALESCE;
    }), "watch-rounds");
    worker.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    stop.requestStop();
    if (worker != null) {
      worker.join(PATIENCE.toMillis());
    }
    if (watch != null) {
      watch.close();
    }
  }

  @Test
  void metricsFollowPodsBeingCreatedRestartedAndDeleted(TestingNamespace ns) throws Exception {
    start(ns, Duration.ofMinutes(10));
    String series = "{namespace=\"" + namespace + "\"}";
    assertThat(metrics()).doesNotContain(WatchMetrics.NAMESPACE_HEALTH_SCORE + series);

    TestingObjects.runningPod(client, "cache", 0);

    await().atMost(PATIENCE).until(() -> value(WatchMetrics.NAMESPACE_HEALTH_SCORE + series)
        != null);
    assertThat(value(WatchMetrics.NAMESPACE_HEALTH_SCORE + series)).as("no probes, no limits")
        .isLessThan(100);
    assertThat(value(WatchMetrics.NAMESPACE_WORKLOADS + series)).isEqualTo(1);
    assertThat(value(WatchMetrics.CLUSTER_HEALTH_SCORE))
        .isEqualTo(value(WatchMetrics.NAMESPACE_HEALTH_SCORE + series));
    assertThat(value(WatchMetrics.POD_EVENTS_TOTAL + "{event=\"added\"}")).isEqualTo(1);

    Pod pod = client.pods().withName("cache").get();
    pod.getStatus().getContainerStatuses().get(0).setRestartCount(4);
    client.pods().resource(pod).updateStatus();
    await().atMost(PATIENCE).until(() -> Double.valueOf(4)
        .equals(value(WatchMetrics.CONTAINER_RESTARTS_TOTAL)));
    assertThat(value(WatchMetrics.PODS + "{phase=\"Running\"}")).isEqualTo(1);

    TestingObjects.runningPod(client, "web", 0);
    await().atMost(PATIENCE).until(() -> Double.valueOf(2)
        .equals(value(WatchMetrics.NAMESPACE_WORKLOADS + series)));

    client.pods().withName("cache").delete();
    client.pods().withName("web").delete();

    await().atMost(PATIENCE).until(() -> !metrics().contains(
        WatchMetrics.NAMESPACE_HEALTH_SCORE + series));
    assertThat(metrics()).as("every series of the namespace goes").doesNotContain(namespace);
    assertThat(value(WatchMetrics.CLUSTER_HEALTH_SCORE)).isEqualTo(100);
    assertThat(value(WatchMetrics.POD_EVENTS_TOTAL + "{event=\"deleted\"}")).isEqualTo(2);
    assertThat(value(WatchMetrics.PODS + "{phase=\"Running\"}")).isEqualTo(0);
  }

  @Test
  void theNamespaceIsJudgedUnderItsPolicyAsAnalyzeJudgesIt(TestingNamespace ns) throws Exception {
    start(ns, Duration.ofMinutes(10));
    TestingObjects.create(ns.client(), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "nginx:latest"}]
        """);
    String series = WatchMetrics.NAMESPACE_HEALTH_SCORE + "{namespace=\"" + namespace + "\"}";
    await().atMost(PATIENCE).until(() -> value(series) != null);
    double underBundle = value(series);

    TestingObjects.create(ns.client(), """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop}
        spec:
          bundle: baseline
          forbidLatestTag: false
          requireLivenessProbe: false
          requireReadinessProbe: false
        """);

    await().atMost(PATIENCE).until(() -> value(series) > underBundle);
    int analyzed = new ClusterAudit(ENGINE, new ResolvedPolicies(TestUtils.resolver()),
        ClusterObjectSource.PAGE_SIZE).run(ClusterSession.over(client, "test"), "test",
            namespace, null, TestUtils.bundle("baseline"), what -> { }, warning -> { })
        .byNamespace().get(namespace).score().value();
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(value(series)).isEqualTo(analyzed));
  }

  @Test
  void aBurstOfStatusWritesCostsAFewEvaluationsNotOnePerWrite(TestingNamespace ns)
      throws Exception {
    start(ns, Duration.ofMinutes(10));
    TestingObjects.runningPod(client, "cache", 0);
    String series = WatchMetrics.NAMESPACE_HEALTH_SCORE + "{namespace=\"" + namespace + "\"}";
    await().atMost(PATIENCE).until(() -> value(series) != null);
    double before = value(WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL);

    int writes = 40;
    for (int i = 1; i <= writes; i++) {
      Pod pod = client.pods().withName("cache").get();
      pod.getStatus().getContainerStatuses().get(0).setRestartCount(i);
      client.pods().resource(pod).updateStatus();
    }

    await().atMost(PATIENCE).until(() -> Double.valueOf(writes)
        .equals(value(WatchMetrics.CONTAINER_RESTARTS_TOTAL)));
    await().atMost(PATIENCE).until(() -> value(WatchMetrics.POD_EVENTS_TOTAL
        + "{event=\"updated\"}") >= writes);
    assertThat(value(WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL) - before)
        .as("one evaluation per round with changes, not per write").isLessThan(writes / 4.0);
  }

  private String metrics() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of the series {@code name{labels}}, or null when it is not exposed. */
  private Double value(String series) throws IOException, InterruptedException {
    Matcher value = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(metrics());
    return value.find() ? Double.valueOf(value.group(1)) : null;
  }
}
