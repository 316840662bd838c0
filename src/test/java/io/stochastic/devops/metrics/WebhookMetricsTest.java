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
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final WebhookMetrics metrics = new WebhookMetrics(registry);

  private void record() {
    metrics.answered("validate", "CREATE", "Deployment", "denied", Duration.ofMillis(3));
    metrics.answered("mutate", "UPDATE", "Pod", "patched", Duration.ofMillis(1));
    metrics.error("validate", "timeout");
    metrics.failedOpen("validate", "timeout");
    metrics.certificateReloaded(true);
  }

  @Test
  void namesFollowTheConventionAndEveryMetricIsExplained() throws Exception {
    record();
    List<String> exposed = exposition().lines().filter(l -> !l.startsWith("#"))
        .map(l -> l.split("[{ ]")[0].replaceAll("_(bucket|count|sum)$", "")).distinct().toList();
    assertThat(exposed).containsExactlyInAnyOrder(WebhookMetrics.REQUESTS_TOTAL,
        WebhookMetrics.REQUEST_DURATION_SECONDS, WebhookMetrics.ERRORS_TOTAL,
        WebhookMetrics.FAIL_OPENS_TOTAL, WebhookMetrics.CERTIFICATE_RELOADS_TOTAL);
    assertThat(exposed).allMatch(n -> n.matches("kube_devops_webhook_[a-z][a-z0-9_]*[a-z0-9]"));
    List<MetricMetadata> all =
        registry.scrape().stream().map(MetricSnapshot::getMetadata).toList();
    assertThat(all).allSatisfy(m ->
        assertThat(m.getHelp()).as(m.getName()).hasSizeGreaterThan(40).endsWith("."));
    assertThat(exposition()).contains("kube_devops_webhook_requests_total{decision=\"denied\","
        + "kind=\"Deployment\",operation=\"CREATE\",webhook=\"validate\"} 1.0");
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
