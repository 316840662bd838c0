package io.stochastic.devops.watch;

import io.stochastic.devops.engine.result.Score;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores the watch engine keeps: one per namespace that runs a pod or a workload, and the
 * cluster's — the same ratio over every namespace's results that {@code analyze} and the batch
 * auditor compute for a cluster ({@link Score#add(Score)}), never an average of namespace scores.
 * Immutable: the round worker publishes a new one, the terminal summary reads the last.
 */
public record ClusterScores(Map<String, NamespaceScore> namespaces) {
  public static final ClusterScores EMPTY = new ClusterScores(Map.of());

  public ClusterScores {
    namespaces = Map.copyOf(namespaces);
  }

  /** These scores with {@code updated} put in and {@code removed} taken out. */
  public ClusterScores with(Map<String, NamespaceScore> updated, Iterable<String> removed) {
    Map<String, NamespaceScore> next = new TreeMap<>(namespaces);
    removed.forEach(next::remove);
    next.putAll(updated);
    return new ClusterScores(next);
  }

  /** The cluster's score: 100 with no namespace scored, as with no result. */
  public Score cluster() {
    Score total = new Score();
    namespaces.values().forEach(n -> total.add(n.score()));
    return total;
  }

  /** The {@code n} lowest-scored namespaces, lowest first (ties by name). */
  public List<NamespaceScore> worst(int n) {
    return namespaces.values().stream()
        .sorted(Comparator.comparingInt(NamespaceScore::value)
            .thenComparing(NamespaceScore::namespace))
        .limit(n).toList();
  }
}
