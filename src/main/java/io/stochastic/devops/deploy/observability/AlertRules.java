package io.stochastic.devops.deploy.observability;

import io.stochastic.devops.metrics.AuditorMetrics;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.metrics.SyncMetrics;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.metrics.WebhookMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alerting rules of kube-devops, one group per component, each alert with a runbook
 * paragraph in docs/observability.md (the heading is the alert's name, so the anchor is its
 * lower-case name). {@code promtool check rules} and {@code promtool test rules} run on them in
 * AlertRulesTest.
 */
public final class AlertRules {
  /** Where the runbooks are unless told otherwise: docs/observability.md of the repository. */
  public static final String DEFAULT_RUNBOOK_URL =
      "https://github.com/your-org/kube-devops/blob/main/docs/observability.md";

  private final AlertThresholds thresholds;
  private final String runbookUrl;

  /** @param runbookUrl docs/observability.md as the on-call reads it; each alert adds its anchor */
  public AlertRules(AlertThresholds thresholds, String runbookUrl) {
    this.thresholds = thresholds;
    this.runbookUrl = runbookUrl;
  }

  /**
   * One alert.
   *
   * @param forDuration how long the condition holds before it fires
   * @param severity {@code warning} or {@code critical}, the label Alertmanager routes on
   * @param summary one line, with {@code $labels} templates
   * @param description what it means and where to look first
   */
  public record Alert(String name, String expr, Duration forDuration, String severity,
      String summary, String description) {

    /** The heading anchor of its runbook paragraph (GitHub's: the name in lower case). */
    public String anchor() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  /** A rule group: the alerts about one component. */
  public record Group(String name, List<Alert> alerts) {}

  public AlertThresholds thresholds() {
    return thresholds;
  }

  /** The groups, in the order docs/observability.md describes them. */
  public List<Group> groups() {
    AlertThresholds t = thresholds;
    return List.of(
        new Group("kube-devops-auditor", List.of(
            new Alert("KubeDevopsAuditorNotSucceeding",
                "time() - max by (job, cluster) (" + AuditorMetrics.LAST_SUCCESS_TIMESTAMP_SECONDS
                    + ") > " + seconds(t.auditorStaleAfter()),
                Duration.ofMinutes(5), "warning",
                "The kube-devops auditor of cluster {{ $labels.cluster }} has not completed a"
                    + " run for more than " + human(t.auditorStaleAfter()) + ".",
                "The PolicyAuditResults, PolicyReports and audit metrics of {{ $labels.cluster }}"
                    + " are stale: the CronJob is not running, its runs fail or their push to the"
                    + " Pushgateway fails."),
            new Alert("KubeDevopsAuditorResultWriteFailures",
                "max by (job, cluster) (" + AuditorMetrics.RESULT_WRITE_FAILURES + ") > 0",
                Duration.ofMinutes(30), "warning",
                "The kube-devops auditor of cluster {{ $labels.cluster }} fails to write"
                    + " PolicyAuditResults.",
                "{{ $value }} PolicyAuditResult(s) could not be written in the last run, and the"
                    + " run before failed as well: the cluster's audit history is incomplete."),
            new Alert("KubeDevopsClusterScoreLow",
                "min by (job, cluster) (" + AuditorMetrics.CLUSTER_SCORE + ") < "
                    + t.clusterScoreBelow(),
                Duration.ofMinutes(30), "warning",
                "Cluster {{ $labels.cluster }} scores {{ $value }}, below "
                    + t.clusterScoreBelow() + ".",
                "The last audits of {{ $labels.cluster }} found its workloads failing many of"
                    + " their policies' checks. The dashboard's violations row names the"
                    + " namespaces and checks."))),
        new Group("kube-devops-sync", List.of(
            new Alert("KubeDevopsSyncStale",
                "time() - max by (job, cluster) (" + SyncMetrics.LAST_SUCCESS_TIMESTAMP_SECONDS
                    + ") > " + seconds(t.syncStaleAfter()),
                Duration.ofMinutes(5), "warning",
                "The kube-devops sync has not completed a round on {{ $labels.cluster }} for"
                    + " more than " + human(t.syncStaleAfter()) + ".",
                "Policies in Git are no longer applied to {{ $labels.cluster }}: the sync"
                    + " cannot fetch, objects are refused, or no replica leads."),
            new Alert("KubeDevopsSyncFailing",
                "sum by (job, cluster) (increase(" + SyncMetrics.OBJECTS_FAILED_TOTAL
                    + "[10m])) > 0",
                Duration.ofMinutes(15), "warning",
                "The kube-devops sync has objects refused by {{ $labels.cluster }}.",
                "For 15 minutes every round of the sync had objects the API server refused"
                    + " to apply; they are retried each round."),
            new Alert("KubeDevopsSyncGitFetchFailing",
                "sum by (job) (increase(" + SyncMetrics.GIT_FETCH_ERRORS_TOTAL + "[10m])) > 0",
                Duration.ofMinutes(15), "warning",
                "The kube-devops sync cannot fetch its Git repository.",
                "For 15 minutes fetches of the policy repository failed; nothing is applied or"
                    + " pruned meanwhile."))),
        new Group("kube-devops-webhook", List.of(
            new Alert("KubeDevopsWebhookFailingOpen",
                "sum by (job, webhook) (rate(" + WebhookMetrics.FAIL_OPENS_TOTAL + "[5m]))"
                    + " / sum by (job, webhook) (rate(" + WebhookMetrics.REQUESTS_TOTAL
                    + "[5m])) > " + t.webhookFailOpenRatio(),
                Duration.ofMinutes(10), "warning",
                "The kube-devops {{ $labels.webhook }} webhook admits {{ $value"
                    + " | humanizePercentage }} of reviews without a verdict.",
                "Judging fails or overruns its time budget, and the webhook fails open: those"
                    + " writes are admitted unchecked."),
            new Alert("KubeDevopsWebhookLatencyHigh",
                Dashboard.quantile(0.99, WebhookMetrics.REQUEST_DURATION_SECONDS,
                    "job, webhook", "5m") + " > " + t.webhookP99Seconds(),
                Duration.ofMinutes(10), "warning",
                "The kube-devops {{ $labels.webhook }} webhook answers 1% of reviews in more"
                    + " than {{ $value | humanizeDuration }}.",
                "Every write the webhook configuration routes to kube-devops waits for it; above "
                    + t.webhookP99Seconds() + " s at p99 users notice, and near the time budget"
                    + " reviews fail open."))),
        new Group("kube-devops-operator", List.of(
            new Alert("KubeDevopsOperatorReconcileErrors",
                "sum by (job) (increase(" + OperatorMetrics.RECONCILE_ERRORS_TOTAL + "[10m])) > 0",
                Duration.ofMinutes(15), "warning",
                "The kube-devops operator fails to reconcile DevOpsPolicies.",
                "For 15 minutes reconciles have failed; the DevOpsPolicies' .status is stale and"
                    + " enforce mode may not patch."))),
        new Group("kube-devops-watch", List.of(
            new Alert("KubeDevopsWatchStale",
                "time() - max by (job) (" + WatchMetrics.LAST_EVALUATION_TIMESTAMP_SECONDS
                    + ") > " + seconds(t.watchStaleAfter()),
                Duration.ofMinutes(5), "warning",
                "The kube-devops watch engine has not evaluated a namespace for more than "
                    + human(t.watchStaleAfter()) + ".",
                "The live cluster and namespace scores are frozen: the leader is stuck, or no"
                    + " replica leads."))));
  }

  /** Every alert, in group order. */
  public List<Alert> alerts() {
    return groups().stream().flatMap(g -> g.alerts().stream()).toList();
  }

  /**
   * The {@code groups} as Prometheus reads them: the spec of a PrometheusRule, and (under
   * {@code groups:}) a rules file for {@code promtool} or a plain Prometheus.
   */
  public Map<String, Object> spec() {
    List<Object> groups = groups().stream().map(group -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", group.name());
      out.put("rules", group.alerts().stream().map(this::rule).toList());
      return (Object) out;
    }).toList();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("groups", groups);
    return spec;
  }

  private Map<String, Object> rule(Alert alert) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("alert", alert.name());
    rule.put("expr", alert.expr());
    rule.put("for", promDuration(alert.forDuration()));
    rule.put("labels", Map.of("severity", alert.severity()));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", alert.summary());
    annotations.put("description", alert.description());
    annotations.put("runbook_url", runbookUrl + "#" + alert.anchor());
    rule.put("annotations", annotations);
    return rule;
  }

  private static long seconds(Duration d) {
    return d.toSeconds();
  }

  /** {@code 2h}, {@code 15m}, {@code 90s}: Prometheus's duration syntax. */
  static String promDuration(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  /** {@code 2 hours}, {@code 15 minutes}: for people reading the alert. */
  static String human(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 ? plural(s / 3600, "hour") : s % 60 == 0 ? plural(s / 60, "minute")
        : plural(s, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
