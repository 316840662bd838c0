package io.stochastic.devops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.stochastic.devops.testing.TestingPromtool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SyncMetrics metrics = new SyncMetrics(registry);

  @Test
  void namesFollowTheConventionAndEveryMetricIsExplained() throws Exception {
    metrics.round("prod", "aaa", new SyncMetrics.RoundCounts(0, 0, 0, 0, 0), Duration.ZERO,
        true, Instant.now());
    metrics.fetchFailed();
    List<String> names = List.of(SyncMetrics.LAST_SUCCESS_TIMESTAMP_SECONDS,
        SyncMetrics.REVISION_INFO, SyncMetrics.OBJECTS_APPLIED_TOTAL,
        SyncMetrics.OBJECTS_HEALED_TOTAL, SyncMetrics.OBJECTS_PRUNED_TOTAL,
        SyncMetrics.OBJECTS_FAILED_TOTAL, SyncMetrics.FILES_SKIPPED_TOTAL,
        SyncMetrics.DURATION_SECONDS, SyncMetrics.GIT_FETCH_ERRORS_TOTAL);
    List<String> exposed = exposition().lines().filter(l -> !l.startsWith("#"))
        .map(l -> l.split("[{ ]")[0]).distinct().toList();

    assertThat(exposed).containsExactlyInAnyOrderElementsOf(names);
    assertThat(names).allMatch(n -> n.matches("kube_devops_sync_[a-z][a-z0-9_]*[a-z0-9]"));
    List<MetricMetadata> all =
        registry.scrape().stream().map(MetricSnapshot::getMetadata).toList();
    assertThat(all).allSatisfy(m ->
        assertThat(m.getHelp()).as(m.getName()).hasSizeGreaterThan(40).endsWith("."));
  }

  @Test
  void aRoundCountsItsObjectsAndTheRevisionInfoFollowsTheLastCompleteRound() throws Exception {
    Instant now = Instant.ofEpochSecond(1_790_000_000L);
    metrics.round("prod", "aaa", new SyncMetrics.RoundCounts(3, 1, 2, 0, 1),
        Duration.ofMillis(1500), true, now);
    metrics.round("prod", "bbb", new SyncMetrics.RoundCounts(1, 0, 0, 1, 0),
        Duration.ofMillis(500), false, now.plusSeconds(60));
    metrics.round("prod", "bbb", new SyncMetrics.RoundCounts(1, 2, 0, 0, 0),
        Duration.ofMillis(250), true, now.plusSeconds(120));
    metrics.fetchFailed();

    String text = exposition();
    assertThat(text.lines()).contains(
        "kube_devops_sync_objects_applied_total{cluster=\"prod\"} 5.0",
        "kube_devops_sync_objects_healed_total{cluster=\"prod\"} 3.0",
        "kube_devops_sync_objects_pruned_total{cluster=\"prod\"} 2.0",
        "kube_devops_sync_objects_failed_total{cluster=\"prod\"} 1.0",
        "kube_devops_sync_files_skipped_total{cluster=\"prod\"} 1.0",
        "kube_devops_sync_duration_seconds{cluster=\"prod\"} 0.25",
        "kube_devops_sync_last_success_timestamp_seconds{cluster=\"prod\"} 1.79000012E9",
        "kube_devops_sync_revision_info{cluster=\"prod\",revision=\"bbb\"} 1",
        "kube_devops_sync_git_fetch_errors_total 1.0");
    assertThat(text).as("the replaced revision's series is gone").doesNotContain("\"aaa\"");
  }

  @Test
  void promtoolFindsNoProblemInTheExposition() throws Exception {
    metrics.round("prod", "aaa", new SyncMetrics.RoundCounts(3, 1, 2, 0, 1),
        Duration.ofMillis(1500), true, Instant.now());
    metrics.fetchFailed();

    assertThat(TestingPromtool.checkMetrics(exposition())).as("promtool check metrics")
        .isEmpty();
  }

  private String exposition() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
