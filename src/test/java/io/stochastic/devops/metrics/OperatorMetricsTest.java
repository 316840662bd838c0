package io.stochastic.devops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final OperatorMetrics metrics = new OperatorMetrics(registry);

  @Test
  void namesFollowTheConvention() throws IOException {
    metrics.reconciled(Duration.ofMillis(20));
    metrics.failed(Duration.ofMillis(5));
    metrics.evaluated("shop", "policy", 3, 72);
    List<String> names = List.of(OperatorMetrics.RECONCILES_TOTAL,
        OperatorMetrics.RECONCILE_ERRORS_TOTAL, OperatorMetrics.RECONCILE_DURATION_SECONDS,
        OperatorMetrics.POLICY_VIOLATIONS, OperatorMetrics.POLICY_HEALTH_SCORE);
    List<String> exposed = exposition().lines().filter(l -> !l.startsWith("#"))
        .map(l -> l.split("[{ ]")[0].replaceAll("_(bucket|count|sum)$", "")).distinct()
        .toList();

    assertThat(exposed).containsExactlyInAnyOrderElementsOf(names);
    assertThat(names).allMatch(n -> n.matches("kube_devops_operator_[a-z][a-z0-9_]*[a-z0-9]"));
    assertThat(exposition())
        .contains(OperatorMetrics.RECONCILES_TOTAL + " 1.0")
        .contains(OperatorMetrics.RECONCILE_ERRORS_TOTAL + " 1.0")
        .contains(OperatorMetrics.RECONCILE_DURATION_SECONDS + "_count 2")
        .contains(OperatorMetrics.POLICY_VIOLATIONS + "{namespace=\"shop\",policy=\"policy\"} 3.0")
        .contains(OperatorMetrics.POLICY_HEALTH_SCORE
            + "{namespace=\"shop\",policy=\"policy\"} 72.0");
  }

  @Test
  void forgettingAPolicyRemovesOnlyItsSeries() throws IOException {
    metrics.evaluated("shop", "a", 3, 72);
    metrics.evaluated("pay", "b", 0, 100);

    metrics.forget("shop", "a");

    assertThat(exposition()).doesNotContain("policy=\"a\"")
        .contains(OperatorMetrics.POLICY_HEALTH_SCORE + "{namespace=\"pay\",policy=\"b\"} 100.0");
  }

  private String exposition() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
    return out.toString(StandardCharsets.UTF_8);
  }
}
