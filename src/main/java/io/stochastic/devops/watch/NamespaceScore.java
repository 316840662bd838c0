package io.stochastic.devops.watch;

import io.stochastic.devops.engine.Classification;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.Score;
import java.util.EnumMap;
import java.util.Map;

/**
 * A namespace as its last evaluation found it.
 *
 * @param score the weighted ratio over its check results (kept whole, so that the cluster's is
 *     the same ratio over every namespace's results, not an average of averages)
 * @param workloads workloads judged (a Deployment and its pods once, bare pods themselves)
 */
public record NamespaceScore(String namespace, Score score, int workloads) {

  public static NamespaceScore of(String namespace, AuditResult result) {
    return new NamespaceScore(namespace, result.score(), result.workloads());
  }

  public int value() {
    return score.value();
  }

  public Classification classification() {
    return score.classification();
  }

  public Map<Severity, Integer> violationsBySeverity() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      counts.put(severity, score.failed(severity));
    }
    return counts;
  }

  public int violations() {
    return score.failed();
  }
}
