package io.stochastic.devops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.MetricType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MetricCatalogTest {
  private static final List<Class<?>> METRICS_CLASSES = List.of(AuditorMetrics.class,
      OperatorMetrics.class, SyncMetrics.class, WatchMetrics.class, WebhookMetrics.class);

  /** The catalog is every name constant of the metrics classes, no more, no less. */
  @Test
  void catalogHoldsEveryNameConstant() throws IllegalAccessException {
    Set<String> constants = new TreeSet<>();
    for (Class<?> type : METRICS_CLASSES) {
      for (Field field : type.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
            && String.valueOf(field.get(null)).startsWith("kube_devops_")) {
          constants.add((String) field.get(null));
        }
      }
    }
    assertThat(MetricCatalog.definitions()).extracting(MetricDefinition::name)
        .containsExactlyElementsOf(constants);
  }

  @Test
  void definitionsCarryTypeLabelsAndHelp() {
    List<MetricDefinition> all = MetricCatalog.definitions();
    MetricDefinition requests = find(all, WebhookMetrics.REQUESTS_TOTAL);
    assertThat(requests.type()).isEqualTo(MetricType.COUNTER);
    assertThat(requests.component()).isEqualTo("webhook");
    assertThat(requests.labels()).containsExactly("decision", "kind", "operation", "webhook");
    assertThat(requests.help()).startsWith("AdmissionReviews answered");
    MetricDefinition duration = find(all, OperatorMetrics.RECONCILE_DURATION_SECONDS);
    assertThat(duration.seriesNames()).containsExactly(duration.name() + "_bucket",
        duration.name() + "_count", duration.name() + "_sum");
    assertThat(find(all, SyncMetrics.REVISION_INFO).type()).isEqualTo(MetricType.INFO);
    assertThat(find(all, AuditorMetrics.CLUSTER_SCORE).labels()).containsExactly("cluster");
    assertThat(all).extracting(MetricDefinition::component).containsOnly("auditor", "operator",
        "sync", "watch", "webhook");
  }

  private static MetricDefinition find(List<MetricDefinition> all, String name) {
    return all.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }
}
