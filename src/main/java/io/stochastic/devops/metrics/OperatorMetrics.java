package io.stochastic.devops.metrics;

import static io.stochastic.devops.metrics.MetricLabels.NAMESPACE;
import static io.stochastic.devops.metrics.MetricLabels.POLICY;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * The operator's metrics ({@code reconcile}, a Deployment), served on its {@code /metrics}. The
 * per-policy gauges carry {@code namespace} and {@code policy}; a deleted policy's series are
 * removed by {@link #forget} (the policy's finalizer), so that a dashboard never shows a policy
 * that no longer exists with its last score.
 */
public final class OperatorMetrics {
  public static final String RECONCILES_TOTAL = "kube_devops_operator_reconciles_total";
  public static final String RECONCILE_ERRORS_TOTAL = "kube_devops_operator_reconcile_errors_total";
  public static final String RECONCILE_DURATION_SECONDS =
      "kube_devops_operator_reconcile_duration_seconds";
  public static final String POLICY_VIOLATIONS = "kube_devops_operator_policy_violations";
  public static final String POLICY_HEALTH_SCORE = "kube_devops_operator_policy_health_score";
  public static final String WORKLOADS_PATCHED_TOTAL =
      "kube_devops_operator_workloads_patched_total";
  public static final String ENFORCEMENT_FAILURES_TOTAL =
      "kube_devops_operator_enforcement_failures_total";
  /** Label of {@link #ENFORCEMENT_FAILURES_TOTAL}: rejected (by the dry run) or error. */
  public static final String REASON = "reason";

  private final Counter reconciles;
  private final Counter errors;
  private final Histogram duration;
  private final Gauge violations;
  private final Gauge score;
  private final Counter patched;
  private final Counter enforcementFailures;

  /** Registers every operator metric in {@code registry}; register once per registry. */
  public OperatorMetrics(PrometheusRegistry registry) {
    reconciles = Counter.builder()
        .name(RECONCILES_TOTAL)
        .help("Reconciles of DevOpsPolicies that ran to their end (status patched or found"
            + " unchanged).")
        .register(registry);
    errors = Counter.builder()
        .name(RECONCILE_ERRORS_TOTAL)
        .help("Reconciles that failed (the API server refused the status patch, ...); each is"
            + " retried with backoff.")
        .register(registry);
    duration = Histogram.builder()
        .name(RECONCILE_DURATION_SECONDS)
        .help("Wall-clock duration of a reconcile: read the informer caches, judge the"
            + " namespace, patch the status.")
        .unit(Unit.SECONDS)
        .classicOnly()
        .register(registry);
    violations = Gauge.builder()
        .name(POLICY_VIOLATIONS)
        .help("Failed check results in the policy's namespace at its last evaluation.")
        .labelNames(NAMESPACE, POLICY)
        .register(registry);
    score = Gauge.builder()
        .name(POLICY_HEALTH_SCORE)
        .help("Health score (0-100) of the policy's namespace at its last evaluation.")
        .labelNames(NAMESPACE, POLICY)
        .register(registry);
    patched = Counter.builder()
        .name(WORKLOADS_PATCHED_TOTAL)
        .help("Workloads enforce mode patched with server-side apply (one per workload and"
            + " reconcile at most); a --dry-run operator counts the patches it would make.")
        .labelNames(NAMESPACE)
        .register(registry);
    enforcementFailures = Counter.builder()
        .name(ENFORCEMENT_FAILURES_TOTAL)
        .help("Enforcement patches not made: reason rejected (the server dry run refused it:"
            + " admission, validation) or error (the API server failed); retried next reconcile.")
        .labelNames(NAMESPACE, REASON)
        .register(registry);
  }

  /** Enforcement patched (or, in a dry run, would have patched) a workload of {@code namespace}. */
  public void workloadPatched(String namespace) {
    patched.labelValues(namespace).inc();
  }

  /** An enforcement patch of {@code namespace} was not made, for {@code reason}. */
  public void enforcementFailed(String namespace, String reason) {
    enforcementFailures.labelValues(namespace, reason).inc();
  }

  /** A reconcile ran to its end in {@code took}. */
  public void reconciled(Duration took) {
    reconciles.inc();
    duration.observe(took.toNanos() / 1e9);
  }

  /** A reconcile failed after {@code took}. */
  public void failed(Duration took) {
    errors.inc();
    duration.observe(took.toNanos() / 1e9);
  }

  /** The last evaluation of the policy {@code namespace}/{@code policy}. */
  public void evaluated(String namespace, String policy, int violationCount, int healthScore) {
    violations.labelValues(namespace, policy).set(violationCount);
    score.labelValues(namespace, policy).set(healthScore);
  }

  /** Removes the series of a policy that was deleted or no longer governs its namespace. */
  public void forget(String namespace, String policy) {
    violations.remove(namespace, policy);
    score.remove(namespace, policy);
  }
}
