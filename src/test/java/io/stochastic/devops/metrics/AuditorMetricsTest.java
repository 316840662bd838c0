package io.stochastic.devops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.stochastic.devops.engine.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class AuditorMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AuditorMetrics metrics = new AuditorMetrics(registry);

  @Test
  void namesFollowTheConventionAndEveryMetricIsExplained() {
    List<MetricMetadata> all =
        registry.scrape().stream().map(MetricSnapshot::getMetadata).toList();

    assertThat(all).extracting(MetricMetadata::getName).containsExactlyInAnyOrder(
        AuditorMetrics.CLUSTER_SCORE, AuditorMetrics.NAMESPACE_SCORE, AuditorMetrics.VIOLATIONS,
        AuditorMetrics.CHECK_VIOLATIONS, AuditorMetrics.WORKLOADS,
        AuditorMetrics.EXEMPT_WORKLOADS, AuditorMetrics.RESULTS_WRITTEN,
        AuditorMetrics.RESULT_WRITE_FAILURES, AuditorMetrics.RUN_DURATION_SECONDS,
        AuditorMetrics.LAST_SUCCESS_TIMESTAMP_SECONDS);
    assertThat(all).allSatisfy(m -> {
      assertThat(m.getName()).matches("kube_devops_auditor_[a-z][a-z0-9_]*[a-z0-9]")
          .doesNotEndWith("_total"); // gauges only
      assertThat(m.getHelp()).as(m.getName()).hasSizeGreaterThan(40).endsWith(".");
      if (m.getName().endsWith("_seconds")) {
        assertThat(m.getUnit()).as(m.getName()).isEqualTo(Unit.SECONDS);
      }
    });
  }

  @Test
  void labelValuesAreSetInTheirDeclaredOrder() {
    metrics.clusterScore("prod-eu", 71);
    metrics.namespaceScore("payments", "payments-policy", 80);
    metrics.namespaceScore("legacy", null, 35);
    metrics.violations("payments", Severity.HIGH, 2);
    metrics.checkViolations("payments", "cpuLimitsMissing", Severity.HIGH, 2);
    metrics.workloads("payments", 3);
    metrics.exemptWorkloads("payments", 1);
    metrics.resultsWritten(2);
    metrics.resultWriteFailures(0);
    metrics.runDuration(Duration.ofMillis(12_500));
    metrics.lastSuccess(Instant.ofEpochMilli(1_790_000_000_250L));

    assertThat(samples(registry)).containsExactlyInAnyOrder(
        "kube_devops_auditor_cluster_score{cluster=\"prod-eu\"} 71.0",
        "kube_devops_auditor_namespace_score{namespace=\"legacy\",policy=\"none\"} 35.0",
        "kube_devops_auditor_namespace_score{namespace=\"payments\",policy=\"payments-policy\"} 80.0",
        "kube_devops_auditor_violations{namespace=\"payments\",severity=\"high\"} 2.0",
        "kube_devops_auditor_check_violations{check=\"cpuLimitsMissing\",namespace=\"payments\",severity=\"high\"} 2.0",
        "kube_devops_auditor_workloads{namespace=\"payments\"} 3.0",
        "kube_devops_auditor_exempt_workloads{namespace=\"payments\"} 1.0",
        "kube_devops_auditor_results_written{} 2.0",
        "kube_devops_auditor_result_write_failures{} 0.0",
        "kube_devops_auditor_run_duration_seconds{} 12.5",
        "kube_devops_auditor_last_success_timestamp_seconds{} 1.79000000025E9");
  }

  /** {@code name{label="value",...} value} per data point, labels sorted by name. */
  static List<String> samples(PrometheusRegistry registry) {
    List<String> lines = new ArrayList<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      for (GaugeSnapshot.GaugeDataPointSnapshot point : ((GaugeSnapshot) snapshot).getDataPoints()) {
        String labels = StreamSupport.stream(point.getLabels().spliterator(), false)
            .map((Label l) -> l.getName() + "=\"" + l.getValue() + "\"")
            .collect(Collectors.joining(","));
        lines.add(snapshot.getMetadata().getName() + "{" + labels + "} " + point.getValue());
      }
    }
    return lines;
  }
}
