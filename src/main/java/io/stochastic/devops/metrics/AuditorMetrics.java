package io.stochastic.devops.metrics;

import static io.stochastic.devops.metrics.MetricLabels.CHECK;
import static io.stochastic.devops.metrics.MetricLabels.CLUSTER;
import static io.stochastic.devops.metrics.MetricLabels.NAMESPACE;
import static io.stochastic.devops.metrics.MetricLabels.NO_POLICY;
import static io.stochastic.devops.metrics.MetricLabels.POLICY;
import static io.stochastic.devops.metrics.MetricLabels.SEVERITY;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.stochastic.devops.engine.Severity;
import java.time.Duration;
import java.time.Instant;

/**
 * The batch auditor's metrics ({@code auditor run}, a CronJob): the state of the cluster as the
 * last run found it, pushed to a Pushgateway under the grouping key {@code job} + {@code cluster}.
 * Every metric is a gauge holding the last run's value; a namespace that is gone disappears with
 * the next push, because a push replaces the whole group.
 *
 * <p>The Pushgateway adds {@code push_time_seconds} and {@code push_failure_time_seconds} to each
 * group; {@link #LAST_SUCCESS_TIMESTAMP_SECONDS} is the auditor's own and is what "the audit has
 * not run" alerts should use.
 */
public final class AuditorMetrics {
  public static final String CLUSTER_SCORE = "kube_devops_auditor_cluster_score";
  public static final String NAMESPACE_SCORE = "kube_devops_auditor_namespace_score";
  public static final String VIOLATIONS = "kube_devops_auditor_violations";
  public static final String CHECK_VIOLATIONS = "kube_devops_auditor_check_violations";
  public static final String WORKLOADS = "kube_devops_auditor_workloads";
  public static final String EXEMPT_WORKLOADS = "kube_devops_auditor_exempt_workloads";
  public static final String RESULTS_WRITTEN = "kube_devops_auditor_results_written";
  public static final String RESULT_WRITE_FAILURES = "kube_devops_auditor_result_write_failures";
  public static final String RUN_DURATION_SECONDS = "kube_devops_auditor_run_duration_seconds";
  public static final String LAST_SUCCESS_TIMESTAMP_SECONDS =
      "kube_devops_auditor_last_success_timestamp_seconds";

  private static final String SCORE_RULE = " 100 x weight of passed check results / weight of all"
      + " check results (critical 10, high 5, medium 2, low 1), rounded down; 100 when nothing was"
      + " judged. Healthy >= 80, Stable >= 60, Degraded >= 40, Critical below.";

  private final Gauge clusterScore;
  private final Gauge namespaceScore;
  private final Gauge violations;
  private final Gauge checkViolations;
  private final Gauge workloads;
  private final Gauge exemptWorkloads;
  private final Gauge resultsWritten;
  private final Gauge resultWriteFailures;
  private final Gauge runDuration;
  private final Gauge lastSuccess;

  /** Registers every auditor metric in {@code registry}; register once per registry. */
  public AuditorMetrics(PrometheusRegistry registry) {
    clusterScore = Gauge.builder()
        .name(CLUSTER_SCORE)
        .help("Score (0-100) of every audited namespace of the cluster together in the last audit"
            + " run:" + SCORE_RULE)
        .labelNames(CLUSTER)
        .register(registry);
    namespaceScore = Gauge.builder()
        .name(NAMESPACE_SCORE)
        .help("Score (0-100) of the namespace in the last audit run, against its DevOpsPolicy"
            + " (policy=\"none\": the default bundle):" + SCORE_RULE)
        .labelNames(NAMESPACE, POLICY)
        .register(registry);
    violations = Gauge.builder()
        .name(VIOLATIONS)
        .help("Failed check results in the namespace in the last audit run, by severity (one per"
            + " check, workload and container; checks that could not be evaluated count as"
            + " failed). 0 for a severity with none.")
        .labelNames(NAMESPACE, SEVERITY)
        .register(registry);
    checkViolations = Gauge.builder()
        .name(CHECK_VIOLATIONS)
        .help("Failed check results in the namespace in the last audit run, by check; 0 for a"
            + " check that applied and passed everywhere. Checks that did not apply are absent.")
        .labelNames(NAMESPACE, CHECK, SEVERITY)
        .register(registry);
    workloads = Gauge.builder()
        .name(WORKLOADS)
        .help("Workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, bare Pods...)"
            + " audited in the namespace in the last audit run; exempt ones are not counted.")
        .labelNames(NAMESPACE)
        .register(registry);
    exemptWorkloads = Gauge.builder()
        .name(EXEMPT_WORKLOADS)
        .help("Workloads of the namespace the last audit run skipped for an exemption"
            + " (annotation devops.stochastic.io/exempt: \"true\").")
        .labelNames(NAMESPACE)
        .register(registry);
    resultsWritten = Gauge.builder()
        .name(RESULTS_WRITTEN)
        .help("PolicyAuditResult resources the last audit run created.")
        .register(registry);
    resultWriteFailures = Gauge.builder()
        .name(RESULT_WRITE_FAILURES)
        .help("PolicyAuditResult resources the last audit run failed to write (the run's log"
            + " names each one and the cause); above 0, the resources in the cluster are stale.")
        .register(registry);
    runDuration = Gauge.builder()
        .name(RUN_DURATION_SECONDS)
        .help("Wall-clock duration of the last audit run, from start to the last result written.")
        .unit(Unit.SECONDS)
        .register(registry);
    lastSuccess = Gauge.builder()
        .name(LAST_SUCCESS_TIMESTAMP_SECONDS)
        .help("Unix time the last completed audit run finished. Alert when time() minus this"
            + " exceeds a few CronJob periods: the auditor is not running or not finishing.")
        .unit(Unit.SECONDS)
        .register(registry);
  }

  public void clusterScore(String cluster, int score) {
    clusterScore.labelValues(cluster).set(score);
  }

  /** @param policy the namespace's DevOpsPolicy, or null when it has none */
  public void namespaceScore(String namespace, String policy, int score) {
    namespaceScore.labelValues(namespace, policy == null ? NO_POLICY : policy).set(score);
  }

  public void violations(String namespace, Severity severity, int count) {
    violations.labelValues(namespace, severity.id()).set(count);
  }

  public void checkViolations(String namespace, String check, Severity severity, int count) {
    checkViolations.labelValues(namespace, check, severity.id()).set(count);
  }

  public void workloads(String namespace, int count) {
    workloads.labelValues(namespace).set(count);
  }

  public void exemptWorkloads(String namespace, int count) {
    exemptWorkloads.labelValues(namespace).set(count);
  }

  public void resultsWritten(int count) {
    resultsWritten.set(count);
  }

  public void resultWriteFailures(int count) {
    resultWriteFailures.set(count);
  }

  public void runDuration(Duration duration) {
    runDuration.set(duration.toNanos() / 1e9);
  }

  public void lastSuccess(Instant finishedAt) {
    lastSuccess.set(finishedAt.toEpochMilli() / 1e3);
  }
}
