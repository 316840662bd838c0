package io.stochastic.devops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.testing.TestingPromtool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final WatchMetrics metrics = new WatchMetrics(registry);

  private void record() {
    metrics.clusterScore(72);
    metrics.namespace("shop", 60, Map.of(Severity.HIGH, 2), 3);
    metrics.pods(Map.of("Running", 4, "Pending", 1));
    metrics.podEvent(WatchMetrics.PodEvent.ADDED);
    metrics.podEvent(WatchMetrics.PodEvent.UPDATED);
    metrics.podEvent(WatchMetrics.PodEvent.UPDATED);
    metrics.containerRestarts(3);
    metrics.transition(WatchMetrics.Transition.CRASH_LOOP_BACK_OFF);
    metrics.round(2, Duration.ofMillis(40), Instant.ofEpochSecond(1_790_000_000L));
    metrics.evaluationFailed();
  }

  @Test
  void namesFollowTheConventionAndEveryMetricIsExplained() throws IOException {
    record();
    List<String> names = List.of(WatchMetrics.CLUSTER_HEALTH_SCORE,
        WatchMetrics.NAMESPACE_HEALTH_SCORE, WatchMetrics.NAMESPACE_VIOLATIONS,
        WatchMetrics.NAMESPACE_WORKLOADS, WatchMetrics.PODS, WatchMetrics.POD_EVENTS_TOTAL,
        WatchMetrics.CONTAINER_RESTARTS_TOTAL, WatchMetrics.POD_TRANSITIONS_TOTAL,
        WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL, WatchMetrics.EVALUATION_ERRORS_TOTAL,
        WatchMetrics.ROUND_DURATION_SECONDS, WatchMetrics.LAST_EVALUATION_TIMESTAMP_SECONDS);
    List<String> exposed = exposition().lines().filter(l -> !l.startsWith("#"))
        .map(l -> l.split("[{ ]")[0].replaceAll("_(bucket|count|sum)$", "")).distinct()
        .toList();

    assertThat(exposed).containsExactlyInAnyOrderElementsOf(names);
    assertThat(names).allMatch(n -> n.matches("kube_devops_watch_[a-z][a-z0-9_]*[a-z0-9]"));
    List<MetricMetadata> all =
        registry.scrape().stream().map(MetricSnapshot::getMetadata).toList();
    assertThat(all).allSatisfy(m ->
        assertThat(m.getHelp()).as(m.getName()).hasSizeGreaterThan(40).endsWith("."));
  }

  @Test
  void theSeriesSayWhatWasRecorded() throws IOException {
    record();

    assertThat(exposition().lines()).contains(
        "kube_devops_watch_cluster_health_score 72.0",
        "kube_devops_watch_namespace_health_score{namespace=\"shop\"} 60.0",
        "kube_devops_watch_namespace_violations{namespace=\"shop\",severity=\"high\"} 2.0",
        "kube_devops_watch_namespace_violations{namespace=\"shop\",severity=\"low\"} 0.0",
        "kube_devops_watch_namespace_workloads{namespace=\"shop\"} 3.0",
        "kube_devops_watch_pods{phase=\"Running\"} 4.0",
        "kube_devops_watch_pods{phase=\"Failed\"} 0.0",
        "kube_devops_watch_pod_events_total{event=\"updated\"} 2.0",
        "kube_devops_watch_pod_events_total{event=\"deleted\"} 0.0",
        "kube_devops_watch_container_restarts_total 3.0",
        "kube_devops_watch_pod_transitions_total{transition=\"crash_loop_back_off\"} 1.0",
        "kube_devops_watch_pod_transitions_total{transition=\"failed\"} 0.0",
        "kube_devops_watch_namespace_evaluations_total 2.0",
        "kube_devops_watch_evaluation_errors_total 1.0",
        "kube_devops_watch_round_duration_seconds_count 1",
        "kube_devops_watch_last_evaluation_timestamp_seconds 1.79E9");
  }

  @Test
  void forgettingANamespaceRemovesOnlyItsSeries() throws IOException {
    metrics.namespace("shop", 60, Map.of(Severity.HIGH, 2), 3);
    metrics.namespace("pay", 100, Map.of(), 1);

    metrics.forgetNamespace("shop");

    assertThat(exposition()).doesNotContain("\"shop\"")
        .contains("kube_devops_watch_namespace_health_score{namespace=\"pay\"} 100.0");
  }

  @Test
  void promtoolFindsNoProblemInTheExposition() throws Exception {
    record();

    assertThat(TestingPromtool.checkMetrics(exposition())).as("promtool check metrics")
        .isEmpty();
  }

  private String exposition() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
