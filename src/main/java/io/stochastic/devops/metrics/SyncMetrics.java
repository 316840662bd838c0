package io.stochastic.devops.metrics;

import static io.stochastic.devops.metrics.MetricLabels.CLUSTER;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GitOps sync's metrics ({@code sync}, a Deployment), served on its {@code /metrics}. Every
 * per-cluster metric has the {@code cluster} label: the kubeconfig context synced.
 *
 * <p>"The sync silently stopped" is what {@link #LAST_SUCCESS_TIMESTAMP_SECONDS} is for: alert
 * when {@code time()} minus it exceeds a few poll intervals; {@link #GIT_FETCH_ERRORS_TOTAL}
 * says when the cause is the Git server.
 */
public final class SyncMetrics {
  public static final String LAST_SUCCESS_TIMESTAMP_SECONDS =
      "kube_devops_sync_last_success_timestamp_seconds";
  public static final String REVISION_INFO = "kube_devops_sync_revision_info";
  public static final String OBJECTS_APPLIED_TOTAL = "kube_devops_sync_objects_applied_total";
  public static final String OBJECTS_PRUNED_TOTAL = "kube_devops_sync_objects_pruned_total";
  public static final String OBJECTS_FAILED_TOTAL = "kube_devops_sync_objects_failed_total";
  public static final String OBJECTS_HEALED_TOTAL = "kube_devops_sync_objects_healed_total";
  public static final String FILES_SKIPPED_TOTAL = "kube_devops_sync_files_skipped_total";
  public static final String DURATION_SECONDS = "kube_devops_sync_duration_seconds";
  public static final String GIT_FETCH_ERRORS_TOTAL = "kube_devops_sync_git_fetch_errors_total";
  /** The label of {@link #REVISION_INFO}: the full commit id last applied. */
  public static final String REVISION = "revision";

  private final Gauge lastSuccess;
  private final Info revision;
  private final Counter applied;
  private final Counter pruned;
  private final Counter failed;
  private final Counter healed;
  private final Counter skipped;
  private final Gauge duration;
  private final Counter fetchErrors;
  private final Map<String, String> revisions = new ConcurrentHashMap<>();

  /** Registers every sync metric in {@code registry}; register once per registry. */
  public SyncMetrics(PrometheusRegistry registry) {
    lastSuccess = Gauge.builder()
        .name(LAST_SUCCESS_TIMESTAMP_SECONDS)
        .help("Unix time of the last sync round that fetched the repository and applied every"
            + " policy it meant to (files skipped for lint errors do not count as failures).")
        .unit(Unit.SECONDS)
        .labelNames(CLUSTER)
        .register(registry);
    revision = Info.builder()
        .name(REVISION_INFO)
        .help("The commit last applied completely to the cluster (value always 1).")
        .labelNames(CLUSTER, REVISION)
        .register(registry);
    applied = Counter.builder()
        .name(OBJECTS_APPLIED_TOTAL)
        .help("Objects applied with server-side apply (created, configured or unchanged).")
        .labelNames(CLUSTER)
        .register(registry);
    pruned = Counter.builder()
        .name(OBJECTS_PRUNED_TOTAL)
        .help("Objects deleted because the tree no longer defines them (--prune).")
        .labelNames(CLUSTER)
        .register(registry);
    failed = Counter.builder()
        .name(OBJECTS_FAILED_TOTAL)
        .help("Objects the cluster refused to apply; retried on the next round.")
        .labelNames(CLUSTER)
        .register(registry);
    healed = Counter.builder()
        .name(OBJECTS_HEALED_TOTAL)
        .help("Objects a self-heal round found changed or deleted in the cluster (not in Git)"
            + " and re-applied.")
        .labelNames(CLUSTER)
        .register(registry);
    skipped = Counter.builder()
        .name(FILES_SKIPPED_TOTAL)
        .help("Files skipped by a round because policy lint found errors in them, counted once"
            + " per round they are skipped in.")
        .labelNames(CLUSTER)
        .register(registry);
    duration = Gauge.builder()
        .name(DURATION_SECONDS)
        .help("Wall-clock duration of the last sync round: fetch, lint, apply and prune.")
        .unit(Unit.SECONDS)
        .labelNames(CLUSTER)
        .register(registry);
    fetchErrors = Counter.builder()
        .name(GIT_FETCH_ERRORS_TOTAL)
        .help("Fetches of the Git repository that failed (server down, refused credentials,"
            + " garbage); nothing is applied or pruned on such a round.")
        .register(registry);
  }

  /** How many objects and files a round applied, healed, pruned, failed and skipped. */
  public record RoundCounts(int applied, int healed, int pruned, int failed, int skippedFiles) {}

  /** A round against {@code cluster} ended; {@code complete}: nothing was refused. */
  public void round(String cluster, String appliedRevision, RoundCounts counts, Duration took,
      boolean complete, Instant now) {
    applied.labelValues(cluster).inc(counts.applied());
    healed.labelValues(cluster).inc(counts.healed());
    pruned.labelValues(cluster).inc(counts.pruned());
    failed.labelValues(cluster).inc(counts.failed());
    skipped.labelValues(cluster).inc(counts.skippedFiles());
    duration.labelValues(cluster).set(took.toNanos() / 1e9);
    if (complete) {
      lastSuccess.labelValues(cluster).set(now.toEpochMilli() / 1000.0);
      String previous = revisions.put(cluster, appliedRevision);
      if (previous != null && !previous.equals(appliedRevision)) {
        revision.remove(cluster, previous);
      }
      revision.addLabelValues(cluster, appliedRevision);
    }
  }

  public void fetchFailed() {
    fetchErrors.inc();
  }
}
