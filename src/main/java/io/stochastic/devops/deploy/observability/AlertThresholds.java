package io.stochastic.devops.deploy.observability;

import io.stochastic.devops.engine.Classification;
import java.time.Duration;

/**
 * Where the alerts fire. The defaults ({@link #DEFAULTS}) fit the shipped schedules and are
 * documented in docs/observability.md; {@code observability generate-alerts} takes each as a flag.
 *
 * @param auditorStaleAfter the auditor has not finished a run for this long (the shipped CronJob
 *     runs every 15 minutes: 2 h is eight missed runs, not one slow one)
 * @param syncStaleAfter the sync has not completed a round for this long (it polls every 60 s)
 * @param watchStaleAfter the watch engine's leader has not evaluated for this long (it
 *     re-evaluates every namespace every 30 s)
 * @param webhookP99Seconds the webhook's p99 admission latency above which writes slow down
 *     noticeably (its own time budget, --review-timeout, is 2 s)
 * @param webhookFailOpenRatio the share of reviews admitted without a verdict above which the
 *     policies are not really enforced
 * @param clusterScoreBelow a cluster scoring below this in an audit: below Stable, Degraded
 */
public record AlertThresholds(Duration auditorStaleAfter, Duration syncStaleAfter,
    Duration watchStaleAfter, double webhookP99Seconds, double webhookFailOpenRatio,
    int clusterScoreBelow) {

  public static final AlertThresholds DEFAULTS = new AlertThresholds(Duration.ofHours(2),
      Duration.ofMinutes(15), Duration.ofMinutes(5), 0.5, 0.01,
      Classification.Stable.minimumScore());

  public AlertThresholds {
    for (Duration d : new Duration[] {auditorStaleAfter, syncStaleAfter, watchStaleAfter}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("a staleness threshold must be positive, not " + d);
      }
    }
    if (!(webhookP99Seconds > 0)) {
      throw new IllegalArgumentException("the webhook latency threshold must be positive");
    }
    if (!(webhookFailOpenRatio >= 0 && webhookFailOpenRatio < 1)) {
      throw new IllegalArgumentException("the fail-open ratio must be in [0, 1), not "
          + webhookFailOpenRatio);
    }
    if (clusterScoreBelow < 1 || clusterScoreBelow > 100) {
      throw new IllegalArgumentException("the cluster score threshold must be 1-100, not "
          + clusterScoreBelow);
    }
  }
}
