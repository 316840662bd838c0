package io.stochastic.devops.watch;

import io.stochastic.devops.engine.result.Score;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The short live summary the watch prints on a terminal: the cluster's score and its worst
 * namespaces, two lines, so that it reads at a glance between log lines.
 */
public final class WatchSummary {
  /** How many of the lowest-scored namespaces the summary names. */
  public static final int WORST = 5;

  private WatchSummary() {}

  /**
   * {@code cluster score 72 (Stable): 4 namespaces, 9 violations} and, when a namespace has
   * violations, {@code   worst: shop 45 Degraded (6), pay 60 Stable (3)}.
   */
  public static String render(ClusterScores scores) {
    Score cluster = scores.cluster();
    int namespaces = scores.namespaces().size();
    StringBuilder out = new StringBuilder("cluster score ").append(cluster.value())
        .append(" (").append(cluster.classification()).append("): ").append(namespaces)
        .append(namespaces == 1 ? " namespace, " : " namespaces, ").append(cluster.failed())
        .append(cluster.failed() == 1 ? " violation" : " violations");
    List<NamespaceScore> worst = scores.worst(WORST).stream()
        .filter(n -> n.violations() > 0).toList();
    if (!worst.isEmpty()) {
      out.append(System.lineSeparator()).append("  worst: ").append(worst.stream()
          .map(n -> n.namespace() + " " + n.value() + " " + n.classification() + " ("
              + n.violations() + ")")
          .collect(Collectors.joining(", ")));
    }
    return out.toString();
  }
}
