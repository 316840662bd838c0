package io.stochastic.devops.deploy.observability;

import io.stochastic.devops.metrics.MetricCatalog;
import io.stochastic.devops.metrics.MetricDefinition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the dashboard's and the alerts' expressions refer to: the {@code kube_devops_*} series
 * each names, checked against the metric definitions, and the expressions as a rules file for
 * {@code promtool check rules} (Prometheus's own parser).
 */
public final class PromQlReferences {
  private static final Pattern SERIES = Pattern.compile("\\bkube_devops_[a-zA-Z0-9_]+");
  /**
   * Grafana's built-in variables, which are not PromQL, replaced by a value Grafana could give
   * them. The dashboard's own variables appear only inside label matchers' strings.
   */
  private static final Map<String, String> GRAFANA_VARIABLES =
      Map.of(Dashboard.RATE_INTERVAL, "2m");

  private PromQlReferences() {}

  /** The {@code kube_devops_*} names {@code expr} selects. */
  public static Set<String> seriesNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = SERIES.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** Every series name of every defined metric ({@code _bucket} and co. for histograms). */
  static Set<String> definedSeries() {
    Set<String> names = new LinkedHashSet<>();
    for (MetricDefinition definition : MetricCatalog.definitions()) {
      names.addAll(definition.seriesNames());
    }
    return names;
  }

  /** Each expression naming a series no metric defines, with the names: empty when none. */
  static Map<String, Set<String>> undefinedReferences(List<String> expressions) {
    Set<String> defined = definedSeries();
    Map<String, Set<String>> out = new TreeMap<>();
    for (String expr : expressions) {
      Set<String> unknown = new LinkedHashSet<>(seriesNames(expr));
      unknown.removeAll(defined);
      if (!unknown.isEmpty()) {
        out.put(expr, unknown);
      }
    }
    return out;
  }

  /** The metrics no expression refers to (through any of their series). */
  static List<String> unreferencedMetrics(List<String> expressions) {
    Set<String> referenced = new LinkedHashSet<>();
    expressions.forEach(e -> referenced.addAll(seriesNames(e)));
    List<String> out = new ArrayList<>();
    for (MetricDefinition definition : MetricCatalog.definitions()) {
      if (definition.seriesNames().stream().noneMatch(referenced::contains)) {
        out.add(definition.name());
      }
    }
    return out;
  }

  /** {@code expr} as Prometheus can parse it: Grafana's built-in variables given a value. */
  static String asPromQl(String expr) {
    String out = expr;
    for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
      out = out.replace(variable.getKey(), variable.getValue());
    }
    return out;
  }

  /** A rules file recording each expression, for {@code promtool check rules}. */
  static Map<String, Object> recordingRules(List<String> expressions) {
    List<Object> rules = new ArrayList<>();
    for (int i = 0; i < expressions.size(); i++) {
      rules.add(Map.of("record", "kube_devops:dashboard_expression_" + i, "expr",
          asPromQl(expressions.get(i))));
    }
    return Map.of("groups", List.of(Map.of("name", "kube-devops-dashboard", "rules", rules)));
  }
}
