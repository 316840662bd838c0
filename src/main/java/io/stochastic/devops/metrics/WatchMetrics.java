package io.stochastic.devops.metrics;

import static io.stochastic.devops.metrics.MetricLabels.NAMESPACE;
import static io.stochastic.devops.metrics.MetricLabels.SEVERITY;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.stochastic.devops.engine.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The watch engine's metrics ({@code watch}, a Deployment), served on its {@code /metrics}
 * (docs/watch.md). Only the replica that holds the Lease sets them: a follower serves the
 * counters at 0 and no score, so that a query over every replica never counts a pod event or a
 * namespace twice.
 *
 * <p>The per-namespace gauges exist while the namespace runs a pod or a workload; {@link
 * #forgetNamespace} removes them when it stops (or is deleted), so that a dashboard never shows a
 * namespace that is gone with its last score.
 */
public final class WatchMetrics {
  public static final String CLUSTER_HEALTH_SCORE = "kube_devops_watch_cluster_health_score";
  public static final String NAMESPACE_HEALTH_SCORE = "kube_devops_watch_namespace_health_score";
  public static final String NAMESPACE_VIOLATIONS = "kube_devops_watch_namespace_violations";
  public static final String NAMESPACE_WORKLOADS = "kube_devops_watch_namespace_workloads";
  public static final String PODS = "kube_devops_watch_pods";
  public static final String POD_EVENTS_TOTAL = "kube_devops_watch_pod_events_total";
  public static final String CONTAINER_RESTARTS_TOTAL =
      "kube_devops_watch_container_restarts_total";
  public static final String POD_TRANSITIONS_TOTAL = "kube_devops_watch_pod_transitions_total";
  public static final String NAMESPACE_EVALUATIONS_TOTAL =
      "kube_devops_watch_namespace_evaluations_total";
  public static final String EVALUATION_ERRORS_TOTAL = "kube_devops_watch_evaluation_errors_total";
  public static final String ROUND_DURATION_SECONDS = "kube_devops_watch_round_duration_seconds";
  public static final String LAST_EVALUATION_TIMESTAMP_SECONDS =
      "kube_devops_watch_last_evaluation_timestamp_seconds";

  /** The label of {@link #PODS}: the pod's {@code status.phase}. */
  public static final String PHASE = "phase";
  /** The label of {@link #POD_EVENTS_TOTAL}: {@code added}, {@code updated}, {@code deleted}. */
  public static final String EVENT = "event";
  /** The label of {@link #POD_TRANSITIONS_TOTAL}: a {@link Transition}'s id. */
  public static final String TRANSITION = "transition";

  /** The pod phases {@link #PODS} always has a series for (0 when no pod is in it). */
  public static final java.util.List<String> PHASES =
      java.util.List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  /** A change of a pod as the watch sees it (informer events, not kubelet history). */
  public enum PodEvent {
    ADDED, UPDATED, DELETED;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A pod entering a state a platform team wants to see the rate of. */
  public enum Transition {
    /** {@code status.phase} became {@code Failed} (evicted, OOM-killed bare pod, failed Job). */
    FAILED("failed"),
    /** A container's waiting reason became {@code CrashLoopBackOff}. */
    CRASH_LOOP_BACK_OFF("crash_loop_back_off"),
    /** The scheduler said {@code Unschedulable} (no node fits: capacity, taints, affinity). */
    UNSCHEDULABLE("unschedulable");

    private final String id;

    Transition(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  private static final String SCORE_RULE = " 100 x weight of passed check results / weight of all"
      + " check results (critical 10, high 5, medium 2, low 1), rounded down; 100 when nothing was"
      + " judged. Healthy >= 80, Stable >= 60, Degraded >= 40, Critical below.";

  private final Gauge clusterScore;
  private final Gauge namespaceScore;
  private final Gauge violations;
  private final Gauge workloads;
  private final Gauge pods;
  private final Counter podEvents;
  private final Counter restarts;
  private final Counter transitions;
  private final Counter evaluations;
  private final Counter errors;
  private final Histogram roundDuration;
  private final Gauge lastEvaluation;

  /** Registers every watch metric in {@code registry}; register once per registry. */
  public WatchMetrics(PrometheusRegistry registry) {
    clusterScore = Gauge.builder()
        .name(CLUSTER_HEALTH_SCORE)
        .help("Score (0-100) of every scored namespace together (the ratio over all their check"
            + " results, as analyze and the batch auditor compute a cluster's):" + SCORE_RULE)
        .register(registry);
    namespaceScore = Gauge.builder()
        .name(NAMESPACE_HEALTH_SCORE)
        .help("Score (0-100) of the namespace's workloads under its DevOpsPolicy (the default"
            + " bundle without one), kept live from the informer caches:" + SCORE_RULE)
        .labelNames(NAMESPACE)
        .register(registry);
    violations = Gauge.builder()
        .name(NAMESPACE_VIOLATIONS)
        .help("Failed check results in the namespace by severity (one per check, workload and"
            + " container); 0 for a severity with none.")
        .labelNames(NAMESPACE, SEVERITY)
        .register(registry);
    workloads = Gauge.builder()
        .name(NAMESPACE_WORKLOADS)
        .help("Workloads judged in the namespace: a Deployment and its pods count once, bare"
            + " pods count themselves; exempt ones are not counted.")
        .labelNames(NAMESPACE)
        .register(registry);
    pods = Gauge.builder()
        .name(PODS)
        .help("Pods in the watched namespaces (system namespaces excepted) by status.phase, as"
            + " the informer cache holds them.")
        .labelNames(PHASE)
        .register(registry);
    podEvents = Counter.builder()
        .name(POD_EVENTS_TOTAL)
        .help("Pod changes the watch received (added, updated, deleted); the initial list at"
            + " start counts as added. Most updates are the kubelet's status writes.")
        .labelNames(EVENT)
        .register(registry);
    restarts = Counter.builder()
        .name(CONTAINER_RESTARTS_TOTAL)
        .help("Container restarts observed: increases of a container's restartCount between two"
            + " versions of a pod seen by this replica (restarts before it started are not"
            + " counted).")
        .register(registry);
    transitions = Counter.builder()
        .name(POD_TRANSITIONS_TOTAL)
        .help("Pods seen entering a state: failed (phase Failed), crash_loop_back_off (a"
            + " container waiting in CrashLoopBackOff), unschedulable (PodScheduled False,"
            + " reason Unschedulable).")
        .labelNames(TRANSITION)
        .register(registry);
    evaluations = Counter.builder()
        .name(NAMESPACE_EVALUATIONS_TOTAL)
        .help("Evaluations of a namespace by the engine: one per namespace changed since the"
            + " previous round (changes are coalesced, never one per event), or per --resync.")
        .register(registry);
    errors = Counter.builder()
        .name(EVALUATION_ERRORS_TOTAL)
        .help("Namespace evaluations that failed (a custom check of the namespace's policy that"
            + " does not compile...); the namespace has no score until it evaluates again.")
        .register(registry);
    roundDuration = Histogram.builder()
        .name(ROUND_DURATION_SECONDS)
        .help("Wall-clock duration of a round that evaluated at least one namespace: read the"
            + " caches, judge every changed namespace, publish the scores.")
        .unit(Unit.SECONDS)
        .classicOnly()
        .register(registry);
    lastEvaluation = Gauge.builder()
        .name(LAST_EVALUATION_TIMESTAMP_SECONDS)
        .help("Unix time of the last round that evaluated a namespace. With every namespace"
            + " re-evaluated each --resync, time() minus this above a few resyncs means the"
            + " leader is stuck.")
        .unit(Unit.SECONDS)
        .register(registry);
    for (PodEvent event : PodEvent.values()) {
      podEvents.labelValues(event.id());
    }
    for (Transition transition : Transition.values()) {
      transitions.labelValues(transition.id());
    }
  }

  public void clusterScore(int score) {
    clusterScore.set(score);
  }

  /** The last evaluation of {@code namespace}. */
  public void namespace(String namespace, int score, Map<Severity, Integer> violationCounts,
      int workloadCount) {
    namespaceScore.labelValues(namespace).set(score);
    for (Severity severity : Severity.values()) {
      violations.labelValues(namespace, severity.id())
          .set(violationCounts.getOrDefault(severity, 0));
    }
    workloads.labelValues(namespace).set(workloadCount);
  }

  /** Removes the series of a namespace that runs nothing any more, or cannot be scored. */
  public void forgetNamespace(String namespace) {
    namespaceScore.remove(namespace);
    for (Severity severity : Severity.values()) {
      violations.remove(namespace, severity.id());
    }
    workloads.remove(namespace);
  }

  /** Pods by phase; every phase of {@link #PHASES} is set (0 when absent from {@code counts}). */
  public void pods(Map<String, Integer> counts) {
    for (String phase : PHASES) {
      pods.labelValues(phase).set(counts.getOrDefault(phase, 0));
    }
  }

  public void podEvent(PodEvent event) {
    podEvents.labelValues(event.id()).inc();
  }

  public void containerRestarts(long count) {
    if (count > 0) {
      restarts.inc(count);
    }
  }

  public void transition(Transition transition) {
    transitions.labelValues(transition.id()).inc();
  }

  /** A round judged {@code namespaces} namespaces in {@code took}, finishing at {@code now}. */
  public void round(int namespaces, Duration took, Instant now) {
    evaluations.inc(namespaces);
    roundDuration.observe(took.toNanos() / 1e9);
    lastEvaluation.set(now.toEpochMilli() / 1e3);
  }

  public void evaluationFailed() {
    errors.inc();
  }
}
