package io.stochastic.devops.engine.result;

import io.stochastic.devops.engine.Classification;
import io.stochastic.devops.engine.Severity;
import java.util.EnumMap;
import java.util.Map;

/**
 * Weighted score over check results (DESIGN.md §1, contract): 100 × weight of passed results /
 * weight of all results, rounded down; 100 when there is no result. Accumulates, so a namespace
 * or cluster score is the same ratio over all its results, not an average of averages.
 */
public final class Score {
  private long passedWeight;
  private long totalWeight;
  private int passed;
  private int failed;
  private final Map<Severity, Integer> failedBySeverity = new EnumMap<>(Severity.class);

  public Score() {
    for (Severity s : Severity.values()) {
      failedBySeverity.put(s, 0);
    }
  }

  public static Score of(Iterable<CheckResult> results) {
    Score score = new Score();
    for (CheckResult r : results) {
      score.add(r);
    }
    return score;
  }

  public Score add(CheckResult result) {
    int weight = result.severity().weight();
    totalWeight += weight;
    if (result.passed()) {
      passedWeight += weight;
      passed++;
    } else {
      failed++;
      failedBySeverity.merge(result.severity(), 1, Integer::sum);
    }
    return this;
  }

  public Score add(Score other) {
    passedWeight += other.passedWeight;
    totalWeight += other.totalWeight;
    passed += other.passed;
    failed += other.failed;
    other.failedBySeverity.forEach((s, n) -> failedBySeverity.merge(s, n, Integer::sum));
    return this;
  }

  public int value() {
    return totalWeight == 0 ? 100 : (int) (100 * passedWeight / totalWeight);
  }

  public Classification classification() {
    return Classification.of(value());
  }

  public boolean healthy() {
    return value() >= Classification.HEALTHY_THRESHOLD;
  }

  public int passed() {
    return passed;
  }

  public int failed() {
    return failed;
  }

  public int failed(Severity severity) {
    return failedBySeverity.get(severity);
  }
}
