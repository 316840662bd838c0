package io.stochastic.devops.gitops;

import io.stochastic.devops.metrics.SyncMetrics;
import io.stochastic.devops.runtime.Readiness;
import io.stochastic.devops.runtime.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The sync's rounds over every cluster it serves, and what a failed fetch does to the next one:
 * a Git server that is down (or answers garbage) is retried with exponential backoff and jitter
 * ({@link RetryPolicy}), never slower than the poll interval, and reported on {@code /readyz}
 * ({@code git: last fetch failed 3 times: ...}) and in the metrics; nothing is applied or
 * pruned meanwhile. A cluster that fails does not stop the others.
 */
public final class SyncLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
  /** The MDC key naming the cluster (kubeconfig context) a log line concerns. */
  public static final String CLUSTER = "cluster";
  /** Retry a failed fetch after 2 s, 4 s, 8 s... up to a minute, for as long as it fails. */
  public static final RetryPolicy FETCH_RETRY = new RetryPolicy(Integer.MAX_VALUE,
      Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofDays(365 * 100));

  /** One cluster: its name (the context) and its sync. */
  public record Target(String cluster, PolicySync sync) {}

  /** What a round over every cluster did. */
  public record Round(List<SyncReport> reports, List<String> failures, boolean fetchFailed) {}

  private final List<Target> targets;
  private final SyncOptions options;
  private final SyncMetrics metrics;
  private final Readiness readiness;
  private final RetryPolicy retry;
  private final Clock clock;
  private final BooleanSupplier leading;
  private final SplittableRandom random = new SplittableRandom();
  private int failedFetches;

  /**
   * @param leading whether this replica (still) leads: a round checks it before it changes a
   *     cluster, before it prunes and before it stores the state
   */
  public SyncLoop(List<Target> targets, SyncOptions options, SyncMetrics metrics,
      Readiness readiness, RetryPolicy retry, Clock clock, BooleanSupplier leading) {
    this.leading = leading;
    this.targets = List.copyOf(targets);
    this.options = options;
    this.metrics = metrics;
    this.readiness = readiness;
    this.retry = retry;
    this.clock = clock;
  }

  /** One round over every cluster. */
  public Round round() {
    List<SyncReport> reports = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean fetchFailed = false;
    for (Target target : targets) {
      Instant start = clock.instant();
      // every line of the round names its cluster
      MDC.put(CLUSTER, target.cluster());
      try {
        SyncReport report = target.sync().sync(options, leading);
        if (!report.upToDate() || !report.pruned().isEmpty() || !report.failed().isEmpty()) {
          LOG.atInfo().addKeyValue("revision", report.revision())
              .addKeyValue("full", report.fullSync())
              .addKeyValue("applied", report.applied().size())
              .addKeyValue("healed", report.healed().size())
              .addKeyValue("pruned", report.pruned().size())
              .addKeyValue("refused", report.failed().size())
              .addKeyValue("filesSkipped", report.invalidFiles().size())
              .log("round done in {} ms", Duration.between(start, clock.instant()).toMillis());
        }
        reports.add(report);
        readiness.ready("cluster " + target.cluster());
        boolean complete = report.failed().isEmpty();
        metrics.round(target.cluster(), report.revision(), new SyncMetrics.RoundCounts(
            report.applied().size(), report.healed().size(), report.pruned().size(),
            report.failed().size(), report.invalidFiles().size()),
            Duration.between(start, clock.instant()), complete, clock.instant());
        if (!complete) {
          failures.add(target.cluster() + ": " + report.failed().size()
              + " objects refused (listed above)");
        }
      } catch (GitFetchException e) {
        fetchFailed = true;
        failures.add(target.cluster() + ": " + e.getMessage());
        // one fetch serves every cluster: when it fails for one, it fails for the rest
        break;
      } catch (RuntimeException e) {
        // the cluster (its state ConfigMap) could not be reached: the others still sync
        readiness.notReady("cluster " + target.cluster(), String.valueOf(e.getMessage()));
        failures.add(target.cluster() + ": " + e.getMessage());
        LOG.warn("sync failed: {}", e.getMessage());
      } finally {
        MDC.remove(CLUSTER);
      }
    }
    if (fetchFailed) {
      failedFetches++;
      metrics.fetchFailed();
      String reason = "last fetch failed " + failedFetches
          + (failedFetches == 1 ? " time: " : " times: ") + failures.get(failures.size() - 1);
      readiness.notReady("git", reason);
      LOG.warn("git: {}", reason);
    } else {
      failedFetches = 0;
      readiness.ready("git");
    }
    return new Round(reports, failures, fetchFailed);
  }

  /** How long to wait after the last round: the interval, or a shorter backoff after a failure. */
  public Duration nextWait(Duration interval) {
    if (failedFetches == 0) {
      return interval;
    }
    Duration backoff = retry.backoffWithJitter(failedFetches, random);
    return backoff.compareTo(interval) < 0 ? backoff : interval;
  }
}
