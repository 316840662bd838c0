package io.stochastic.devops.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import java.util.List;

/**
 * One metric as Prometheus sees it, for the dashboard, the alerts and docs/observability.md.
 *
 * @param name the name as exposed, {@code _total} included for a counter and {@code _info} for an
 *     info metric (the constant of its metrics class); a histogram's series add {@code _bucket},
 *     {@code _count} and {@code _sum}
 * @param component the component that exposes it ({@code operator}), the name's second word
 * @param labels its label names, sorted
 */
public record MetricDefinition(String name, String component, MetricType type,
    List<String> labels, String help) {

  /** The series names a query can select: the histogram's three, else the name itself. */
  public List<String> seriesNames() {
    return type == MetricType.HISTOGRAM
        ? List.of(name + "_bucket", name + "_count", name + "_sum")
        : List.of(name);
  }

  /** {@code counter}, {@code gauge}, {@code histogram}, {@code info}. */
  public String typeName() {
    return type.name().toLowerCase(java.util.Locale.ROOT);
  }
}
