package io.stochastic.devops.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every metric of every component, read from the metrics classes themselves: each registers its
 * metrics in a registry that records what it is given, so the name, type, labels and help here
 * are the ones served, and a metric added to a class reaches the dashboard test and the docs
 * without a second list to keep.
 */
public final class MetricCatalog {
  private MetricCatalog() {}

  /** Every metric, sorted by name. */
  public static List<MetricDefinition> definitions() {
    RecordingRegistry registry = new RecordingRegistry();
    new AuditorMetrics(registry);
    new OperatorMetrics(registry);
    new SyncMetrics(registry);
    new WatchMetrics(registry);
    new WebhookMetrics(registry);
    return registry.definitions.stream()
        .sorted(Comparator.comparing(MetricDefinition::name)).toList();
  }

  /** A registry that keeps a definition of each collector registered in it. */
  private static final class RecordingRegistry extends PrometheusRegistry {
    private final List<MetricDefinition> definitions = new ArrayList<>();

    @Override
    public void register(Collector collector) {
      super.register(collector);
      MetricType type = collector.getMetricType();
      String name = exposedName(collector.getPrometheusName(), type);
      definitions.add(new MetricDefinition(name, name.split("_")[2], type,
          collector.getLabelNames().stream().sorted().toList(),
          collector.getMetadata().getHelp()));
    }

    /** client_java keeps a counter's name without {@code _total}, an info's without {@code _info}. */
    private static String exposedName(String prometheusName, MetricType type) {
      return switch (type) {
        case COUNTER -> prometheusName + "_total";
        case INFO -> prometheusName + "_info";
        default -> prometheusName;
      };
    }
  }
}
