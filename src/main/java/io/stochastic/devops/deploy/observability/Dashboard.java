package io.stochastic.devops.deploy.observability;

import static io.stochastic.devops.metrics.AuditorMetrics.CHECK_VIOLATIONS;
import static io.stochastic.devops.metrics.AuditorMetrics.CLUSTER_SCORE;
import static io.stochastic.devops.metrics.AuditorMetrics.EXEMPT_WORKLOADS;
import static io.stochastic.devops.metrics.AuditorMetrics.NAMESPACE_SCORE;
import static io.stochastic.devops.metrics.AuditorMetrics.RESULTS_WRITTEN;
import static io.stochastic.devops.metrics.AuditorMetrics.RESULT_WRITE_FAILURES;
import static io.stochastic.devops.metrics.AuditorMetrics.RUN_DURATION_SECONDS;
import static io.stochastic.devops.metrics.AuditorMetrics.VIOLATIONS;
import static io.stochastic.devops.metrics.AuditorMetrics.WORKLOADS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stochastic.devops.engine.Classification;
import io.stochastic.devops.metrics.AuditorMetrics;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.metrics.SyncMetrics;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.metrics.WebhookMetrics;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kube-devops Grafana dashboard: its rows and panels as data ({@link #rows()}), and the
 * dashboard JSON (Grafana 10+ schema) built from them. Every query names its metrics through the
 * constants of the metrics classes; DashboardTest holds every expression to the real PromQL
 * parser and every metric to a panel.
 */
public final class Dashboard {
  /** The dashboard's uid: stable, so links to it survive re-imports. */
  public static final String UID = "kube-devops";
  public static final String TITLE = "kube-devops";
  /** Grafana 10.2's schema; Grafana migrates older numbers, never newer ones. */
  static final int SCHEMA_VERSION = 39;
  /** Grafana's own variable for a rate's range: at least four scrape intervals. */
  public static final String RATE_INTERVAL = "$__rate_interval";

  private static final String CLUSTER = "cluster=~\"$cluster\"";
  private static final String NAMESPACE = "namespace=~\"$namespace\"";
  private static final String IN_CLUSTER = "{" + CLUSTER + "}";
  private static final String IN_NAMESPACE = "{" + NAMESPACE + "}";
  private static final String IN_CLUSTER_NAMESPACE = "{" + CLUSTER + ", " + NAMESPACE + "}";
  private static final int GRID_WIDTH = 24;
  /** The metric whose label values the {@code cluster} variable offers: the audited clusters. */
  private static final String CLUSTER_VARIABLE_SOURCE = CLUSTER_SCORE;
  /** The metric whose label values the {@code namespace} variable offers: the scored ones. */
  private static final String NAMESPACE_VARIABLE_SOURCE = WatchMetrics.NAMESPACE_HEALTH_SCORE;

  /** How a panel draws: a line chart, one big number per series, or a table of the last values. */
  public enum Kind {
    TIMESERIES("timeseries"), STAT("stat"), TABLE("table");

    private final String grafanaType;

    Kind(String grafanaType) {
      this.grafanaType = grafanaType;
    }
  }

  /** One PromQL query of a panel and the legend of its series. */
  public record Query(String expr, String legend) {}

  /**
   * One panel.
   *
   * @param unit Grafana's unit id ({@code s}, {@code ops}, {@code none})
   * @param score whether the values are scores (0-100, coloured by classification)
   * @param width in grid columns (of 24)
   */
  public record Panel(String title, String description, Kind kind, String unit, boolean score,
      int width, List<Query> queries) {}

  /** A row of panels, with what it answers. */
  public record Row(String title, String description, List<Panel> panels) {}

  /** The rows, in the order the dashboard shows them. */
  public static List<Row> rows() {
    return List.of(fleet(), violations(), operator(), webhook(), sync(), auditor(), watch());
  }

  /** Every PromQL expression of the dashboard, panels' first. */
  public static List<String> expressions() {
    List<String> out = new ArrayList<>();
    for (Row row : rows()) {
      for (Panel panel : row.panels()) {
        panel.queries().forEach(q -> out.add(q.expr()));
      }
    }
    out.addAll(variableSelectors());
    return out;
  }

  private static Row fleet() {
    return new Row("Fleet and cluster health", "Scores of each cluster (the batch auditor's last"
        + " run, through the Pushgateway) and of this cluster live (the watch engine), and what"
        + " happens to its pods.", List.of(
        panel("Cluster score (last audit)", "The batch auditor's score of each cluster: every"
            + " audited namespace's check results together.", Kind.STAT, "none", true, 6,
            q("min by (cluster) (" + CLUSTER_SCORE + IN_CLUSTER + ")", "{{cluster}}")),
        panel("Cluster score (live)", "The watch engine's score of this cluster, kept live from"
            + " its informer caches (only the leader publishes one).", Kind.STAT, "none", true, 6,
            q("max(" + WatchMetrics.CLUSTER_HEALTH_SCORE + ")", "live")),
        panel("Cluster score over time", "Both scores, to see a fall and when it began.",
            Kind.TIMESERIES, "none", true, 12,
            q("min by (cluster) (" + CLUSTER_SCORE + IN_CLUSTER + ")", "{{cluster}} (audit)"),
            q("max(" + WatchMetrics.CLUSTER_HEALTH_SCORE + ")", "live")),
        panel("Namespace scores (last audit)", "Each namespace's score against its DevOpsPolicy"
            + " (policy none: the default bundle).", Kind.TABLE, "none", true, 12,
            q("min by (cluster, namespace, policy) (" + NAMESPACE_SCORE + IN_CLUSTER_NAMESPACE
                + ")", "{{cluster}} {{namespace}} ({{policy}})")),
        panel("Namespace scores (live)", "The watch engine's score of each namespace that runs"
            + " a pod or a workload.", Kind.TIMESERIES, "none", true, 12,
            q("max by (namespace) (" + WatchMetrics.NAMESPACE_HEALTH_SCORE + IN_NAMESPACE + ")",
                "{{namespace}}")),
        panel("Pods by phase", "Pods of the watched namespaces by status.phase.",
            Kind.TIMESERIES, "none", false, 8,
            q("max by (phase) (" + WatchMetrics.PODS + ")", "{{phase}}")),
        panel("Pods entering a bad state", "Pods seen entering Failed, CrashLoopBackOff or"
            + " Unschedulable, and container restarts, per interval.", Kind.TIMESERIES, "none",
            false, 8,
            q("sum by (transition) (increase(" + WatchMetrics.POD_TRANSITIONS_TOTAL + "["
                + RATE_INTERVAL + "]))", "{{transition}}"),
            q("sum(increase(" + WatchMetrics.CONTAINER_RESTARTS_TOTAL + "[" + RATE_INTERVAL
                + "]))", "container restarts")),
        panel("Pod events", "Pod changes the watch engine receives (mostly kubelet status"
            + " writes): its load.", Kind.TIMESERIES, "ops", false, 8,
            q("sum by (event) (rate(" + WatchMetrics.POD_EVENTS_TOTAL + "[" + RATE_INTERVAL
                + "]))", "{{event}}"))));
  }

  private static Row violations() {
    return new Row("Policy violations", "Failed check results: by severity, by check, by"
        + " policy.", List.of(
        panel("Violations by severity (live)", "The watch engine's failed check results in the"
            + " selected namespaces.", Kind.TIMESERIES, "none", false, 12,
            q("sum by (severity) (max by (namespace, severity) ("
                + WatchMetrics.NAMESPACE_VIOLATIONS + IN_NAMESPACE + "))", "{{severity}}")),
        panel("Violations by severity (last audit)", "The batch auditor's failed check results"
            + " in the selected clusters and namespaces.", Kind.TIMESERIES, "none", false, 12,
            q("sum by (severity) (" + VIOLATIONS + IN_CLUSTER_NAMESPACE + ")", "{{severity}}")),
        panel("Most failed checks (last audit)", "The ten checks with the most failed results:"
            + " what to fix first.", Kind.TABLE, "none", false, 12,
            q("topk(10, sum by (check, severity) (" + CHECK_VIOLATIONS + IN_CLUSTER_NAMESPACE
                + "))", "{{check}} ({{severity}})")),
        panel("Violations by policy (operator)", "Each DevOpsPolicy's failed check results at"
            + " its last reconcile (the value of its .status.violations).", Kind.TIMESERIES,
            "none", false, 12,
            q("max by (namespace, policy) (" + OperatorMetrics.POLICY_VIOLATIONS + IN_NAMESPACE
                + ")", "{{namespace}}/{{policy}}")),
        panel("Policy health scores (operator)", "Each DevOpsPolicy's .status.healthScore.",
            Kind.TIMESERIES, "none", true, 12,
            q("max by (namespace, policy) (" + OperatorMetrics.POLICY_HEALTH_SCORE
                + IN_NAMESPACE + ")", "{{namespace}}/{{policy}}")),
        panel("Workloads judged", "Workloads scored live and in the last audit, and those an"
            + " exemption skipped.", Kind.TIMESERIES, "none", false, 12,
            q("sum(max by (namespace) (" + WatchMetrics.NAMESPACE_WORKLOADS + IN_NAMESPACE
                + "))", "live"),
            q("sum by (cluster) (" + WORKLOADS + IN_CLUSTER_NAMESPACE + ")",
                "{{cluster}} (audit)"),
            q("sum by (cluster) (" + EXEMPT_WORKLOADS + IN_CLUSTER_NAMESPACE + ")",
                "{{cluster}} exempt (audit)"))));
  }

  private static Row operator() {
    String duration = OperatorMetrics.RECONCILE_DURATION_SECONDS;
    return new Row("Operator reconciles", "The operator keeping each DevOpsPolicy's status and,"
        + " in enforce mode, patching workloads.", List.of(
        panel("Reconciles", "Reconciles that ran to their end and those that failed (retried"
            + " with backoff).", Kind.TIMESERIES, "ops", false, 8,
            q("sum(rate(" + OperatorMetrics.RECONCILES_TOTAL + "[" + RATE_INTERVAL + "]))",
                "reconciles"),
            q("sum(rate(" + OperatorMetrics.RECONCILE_ERRORS_TOTAL + "[" + RATE_INTERVAL
                + "]))", "errors")),
        panel("Reconcile duration", "Quantiles and mean of a reconcile's duration.",
            Kind.TIMESERIES, "s", false, 8,
            quantileQuery(0.5, duration, "", "p50"),
            quantileQuery(0.99, duration, "", "p99"),
            mean(duration, "", "mean")),
        panel("Enforcement", "Workloads enforce mode patched, and patches not made (rejected"
            + " by the server's dry run, or an error), per interval.", Kind.TIMESERIES, "none",
            false, 8,
            q("sum by (namespace) (increase(" + OperatorMetrics.WORKLOADS_PATCHED_TOTAL
                + IN_NAMESPACE + "[" + RATE_INTERVAL + "]))", "{{namespace}} patched"),
            q("sum by (namespace, reason) (increase("
                + OperatorMetrics.ENFORCEMENT_FAILURES_TOTAL + IN_NAMESPACE + "["
                + RATE_INTERVAL + "]))", "{{namespace}} {{reason}}"))));
  }

  private static Row webhook() {
    String duration = WebhookMetrics.REQUEST_DURATION_SECONDS;
    String rateOfRequests = "rate(" + WebhookMetrics.REQUESTS_TOTAL + "[" + RATE_INTERVAL + "])";
    return new Row("Webhook admission", "What the admission webhook answers and how fast.",
        List.of(
        panel("Admission latency", "Time from a review's body read to its answer, by webhook"
            + " (validate, mutate). The API server waits this long on every write it routes"
            + " here.", Kind.TIMESERIES, "s", false, 12,
            quantileQuery(0.5, duration, "webhook", "{{webhook}} p50"),
            quantileQuery(0.99, duration, "webhook", "{{webhook}} p99"),
            mean(duration, "webhook", "{{webhook}} mean")),
        panel("Decisions", "Reviews answered, by webhook and decision (allowed, warned,"
            + " denied, patched, skipped, fail-open, fail-closed).", Kind.TIMESERIES, "reqps",
            false, 12,
            q("sum by (webhook, decision) (" + rateOfRequests + ")",
                "{{webhook}} {{decision}}")),
        panel("Reviews by kind and operation", "Which writes reach the webhook.",
            Kind.TIMESERIES, "reqps", false, 8,
            q("sum by (kind, operation) (" + rateOfRequests + ")", "{{operation}} {{kind}}")),
        panel("Errors and fail-opens", "Reviews that could not be judged, and those allowed"
            + " without a verdict (fail-open), by reason.", Kind.TIMESERIES, "reqps", false, 8,
            q("sum by (webhook, reason) (rate(" + WebhookMetrics.ERRORS_TOTAL + "["
                + RATE_INTERVAL + "]))", "{{webhook}} error {{reason}}"),
            q("sum by (webhook, reason) (rate(" + WebhookMetrics.FAIL_OPENS_TOTAL + "["
                + RATE_INTERVAL + "]))", "{{webhook}} fail-open {{reason}}")),
        panel("Certificate reloads", "Reloads of the serving certificate after its files"
            + " changed; failed keeps the previous one.", Kind.TIMESERIES, "none", false, 8,
            q("sum by (result) (increase(" + WebhookMetrics.CERTIFICATE_RELOADS_TOTAL + "["
                + RATE_INTERVAL + "]))", "{{result}}"))));
  }

  private static Row sync() {
    // the sync's cluster label is a kubeconfig context name, not the auditor's cluster name:
    // the cluster variable would hide it
    return new Row("GitOps sync", "The sync applying policies from Git to each cluster (its"
        + " cluster label is the kubeconfig context synced).",
        List.of(
        panel("Since the last successful round", "Time since a round last fetched the"
            + " repository and applied everything; a few poll intervals at most.", Kind.STAT,
            "s", false, 6,
            q("time() - max by (cluster) (" + SyncMetrics.LAST_SUCCESS_TIMESTAMP_SECONDS
                + ")", "{{cluster}}")),
        panel("Revision applied", "The commit last applied completely to each cluster.",
            Kind.TABLE, "none", false, 10,
            q("max by (cluster, revision) (" + SyncMetrics.REVISION_INFO + ")",
                "{{cluster}} {{revision}}")),
        panel("Round duration", "The last round's fetch, lint, apply and prune.",
            Kind.TIMESERIES, "s", false, 8,
            q("max by (cluster) (" + SyncMetrics.DURATION_SECONDS + ")",
                "{{cluster}}")),
        panel("Objects", "Objects applied, healed (changed in the cluster, re-applied), pruned"
            + " and refused, per interval.", Kind.TIMESERIES, "none", false, 12,
            objects(SyncMetrics.OBJECTS_APPLIED_TOTAL, "applied"),
            objects(SyncMetrics.OBJECTS_HEALED_TOTAL, "healed"),
            objects(SyncMetrics.OBJECTS_PRUNED_TOTAL, "pruned"),
            objects(SyncMetrics.OBJECTS_FAILED_TOTAL, "failed")),
        panel("Skipped files and fetch errors", "Files policy lint refused, and failed fetches"
            + " of the repository, per interval.", Kind.TIMESERIES, "none", false, 12,
            objects(SyncMetrics.FILES_SKIPPED_TOTAL, "files skipped"),
            q("sum(increase(" + SyncMetrics.GIT_FETCH_ERRORS_TOTAL + "[" + RATE_INTERVAL
                + "]))", "fetch errors"))));
  }

  private static Row auditor() {
    return new Row("Auditor runs", "The batch auditor's runs (a CronJob pushing to the"
        + " Pushgateway).", List.of(
        panel("Since the last successful audit", "Time since an audit run last finished; a few"
            + " CronJob periods at most.", Kind.STAT, "s", false, 6,
            q("time() - max by (cluster) (" + AuditorMetrics.LAST_SUCCESS_TIMESTAMP_SECONDS
                + IN_CLUSTER + ")", "{{cluster}}")),
        panel("Run duration", "The last run, from start to the last result written.",
            Kind.TIMESERIES, "s", false, 6,
            q("max by (cluster) (" + RUN_DURATION_SECONDS + IN_CLUSTER + ")", "{{cluster}}")),
        panel("PolicyAuditResults", "Results the last run wrote, and those it failed to write"
            + " (then the cluster's results are stale).", Kind.TIMESERIES, "none", false, 12,
            q("max by (cluster) (" + RESULTS_WRITTEN + IN_CLUSTER + ")", "{{cluster}} written"),
            q("max by (cluster) (" + RESULT_WRITE_FAILURES + IN_CLUSTER + ")",
                "{{cluster}} failed"))));
  }

  private static Row watch() {
    String duration = WatchMetrics.ROUND_DURATION_SECONDS;
    return new Row("Watch engine", "The watch engine's evaluation rounds (the leader's).",
        List.of(
        panel("Since the last evaluation", "Time since a round last evaluated a namespace;"
            + " every namespace is evaluated each --resync.", Kind.STAT, "s", false, 6,
            q("time() - max(" + WatchMetrics.LAST_EVALUATION_TIMESTAMP_SECONDS + ")",
                "last evaluation")),
        panel("Namespace evaluations", "Evaluations of a namespace, and those that failed.",
            Kind.TIMESERIES, "ops", false, 9,
            q("sum(rate(" + WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL + "[" + RATE_INTERVAL
                + "]))", "evaluations"),
            q("sum(rate(" + WatchMetrics.EVALUATION_ERRORS_TOTAL + "[" + RATE_INTERVAL
                + "]))", "errors")),
        panel("Round duration", "Quantiles of a round's duration: read the caches, judge the"
            + " changed namespaces, publish.", Kind.TIMESERIES, "s", false, 9,
            quantileQuery(0.5, duration, "", "p50"),
            quantileQuery(0.99, duration, "", "p99"),
            mean(duration, "", "mean"))));
  }

  /** The selectors behind the template variables, checked like the panels' queries. */
  private static List<String> variableSelectors() {
    return List.of(CLUSTER_VARIABLE_SOURCE, NAMESPACE_VARIABLE_SOURCE);
  }

  private static Panel panel(String title, String description, Kind kind, String unit,
      boolean score, int width, Query... queries) {
    return new Panel(title, description, kind, unit, score, width, List.of(queries));
  }

  private static Query q(String expr, String legend) {
    return new Query(expr, legend);
  }

  private static Query objects(String counter, String what) {
    return q("sum by (cluster) (increase(" + counter + "[" + RATE_INTERVAL + "]))",
        "{{cluster}} " + what);
  }

  private static Query quantileQuery(double q, String histogram, String by, String legend) {
    return q(quantile(q, histogram, by, RATE_INTERVAL), legend);
  }

  /**
   * The {@code q} quantile of a histogram over {@code range}, per {@code by} (labels, or empty
   * for one series across every replica).
   */
  static String quantile(double q, String histogram, String by, String range) {
    return "histogram_quantile(" + q + ", sum by (" + (by.isEmpty() ? "" : by + ", ")
        + "le) (rate(" + histogram + "_bucket[" + range + "])))";
  }

  private static Query mean(String histogram, String by, String legend) {
    String group = by.isEmpty() ? "sum" : "sum by (" + by + ")";
    return q(group + " (rate(" + histogram + "_sum[" + RATE_INTERVAL + "])) / " + group
        + " (rate(" + histogram + "_count[" + RATE_INTERVAL + "]))", legend);
  }

  /** The dashboard as Grafana imports it (and as the sidecar loads it from the ConfigMap). */
  public static String json() {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(model())
          + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the dashboard", e);
    }
  }

  /** The dashboard model: rows, panels laid out left to right, variables, time settings. */
  public static ObjectNode model() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode dashboard = json.createObjectNode();
    dashboard.putNull("id");
    dashboard.put("uid", UID);
    dashboard.put("title", TITLE);
    dashboard.put("description", "kube-devops: cluster and namespace health scores, policy"
        + " violations, and the operator, webhook, sync, auditor and watch engine at work"
        + " (docs/observability.md).");
    dashboard.putArray("tags").add("kube-devops").add("kubernetes");
    dashboard.put("schemaVersion", SCHEMA_VERSION);
    dashboard.put("version", 1);
    dashboard.put("editable", true);
    dashboard.put("graphTooltip", 1);
    dashboard.put("refresh", "1m");
    dashboard.put("timezone", "browser");
    dashboard.putObject("time").put("from", "now-6h").put("to", "now");
    dashboard.putObject("annotations").putArray("list");
    dashboard.putArray("links");
    ArrayNode panels = dashboard.putArray("panels");
    int id = 1;
    int y = 0;
    for (Row row : rows()) {
      ObjectNode rowPanel = panels.addObject();
      rowPanel.put("type", "row");
      rowPanel.put("id", id++);
      rowPanel.put("title", row.title());
      rowPanel.put("collapsed", false);
      rowPanel.putArray("panels");
      grid(rowPanel, 0, y, GRID_WIDTH, 1);
      y += 1;
      int x = 0;
      int height = 8;
      for (Panel panel : row.panels()) {
        if (x + panel.width() > GRID_WIDTH) {
          x = 0;
          y += height;
        }
        panels.add(panel(json, panel, id++, x, y, height));
        x += panel.width();
      }
      y += height;
    }
    ArrayNode variables = dashboard.putObject("templating").putArray("list");
    ObjectNode datasource = variables.addObject();
    datasource.put("name", "datasource");
    datasource.put("label", "Data source");
    datasource.put("type", "datasource");
    datasource.put("query", "prometheus");
    datasource.put("refresh", 1);
    datasource.put("hide", 0);
    variables.add(labelVariable(json, "cluster", "Cluster (auditor)", CLUSTER_VARIABLE_SOURCE));
    variables.add(labelVariable(json, "namespace", "Namespace", NAMESPACE_VARIABLE_SOURCE));
    return dashboard;
  }

  private static ObjectNode panel(ObjectMapper json, Panel panel, int id, int x, int y,
      int height) {
    ObjectNode node = json.createObjectNode();
    node.put("type", panel.kind().grafanaType);
    node.put("id", id);
    node.put("title", panel.title());
    node.put("description", panel.description());
    node.set("datasource", datasource(json));
    grid(node, x, y, panel.width(), height);
    ArrayNode targets = node.putArray("targets");
    char refId = 'A';
    for (Query query : panel.queries()) {
      ObjectNode target = targets.addObject();
      target.set("datasource", datasource(json));
      target.put("refId", String.valueOf(refId++));
      target.put("expr", query.expr());
      target.put("legendFormat", query.legend());
      target.put("range", panel.kind() == Kind.TIMESERIES);
      target.put("instant", panel.kind() != Kind.TIMESERIES);
      if (panel.kind() == Kind.TABLE) {
        target.put("format", "table");
      }
    }
    ObjectNode fieldConfig = node.putObject("fieldConfig");
    ObjectNode defaults = fieldConfig.putObject("defaults");
    fieldConfig.putArray("overrides");
    defaults.put("unit", panel.unit());
    ObjectNode thresholds = defaults.putObject("thresholds").put("mode", "absolute");
    ArrayNode steps = thresholds.putArray("steps");
    if (panel.score()) {
      defaults.put("min", 0);
      defaults.put("max", 100);
      steps.addObject().put("color", "red").putNull("value");
      steps.addObject().put("color", "orange").put("value",
          Classification.Degraded.minimumScore());
      steps.addObject().put("color", "yellow").put("value",
          Classification.Stable.minimumScore());
      steps.addObject().put("color", "green").put("value",
          Classification.Healthy.minimumScore());
    } else {
      steps.addObject().put("color", "green").putNull("value");
    }
    defaults.putObject("color").put("mode",
        panel.score() && panel.kind() != Kind.TIMESERIES ? "thresholds" : "palette-classic");
    ObjectNode options = node.putObject("options");
    switch (panel.kind()) {
      case STAT -> {
        options.put("colorMode", "background");
        options.put("graphMode", "none");
        options.putObject("reduceOptions").putArray("calcs").add("lastNotNull");
      }
      case TABLE -> {
        options.put("showHeader", true);
        node.putArray("transformations").addObject().put("id", "organize");
      }
      case TIMESERIES -> {
        options.putObject("legend").put("displayMode", "list").put("placement", "bottom")
            .put("showLegend", true);
        options.putObject("tooltip").put("mode", "multi").put("sort", "desc");
      }
    }
    return node;
  }

  private static ObjectNode labelVariable(ObjectMapper json, String label, String title,
      String metric) {
    String query = "label_values(" + metric + ", " + label + ")";
    ObjectNode variable = json.createObjectNode();
    variable.put("name", label);
    variable.put("label", title);
    variable.put("type", "query");
    variable.set("datasource", datasource(json));
    variable.put("definition", query);
    variable.putObject("query").put("query", query).put("refId", "PrometheusVariableQueryEditor");
    variable.put("refresh", 2);
    variable.put("includeAll", true);
    variable.put("multi", true);
    // "All" as a regular expression: a namespace known only to the auditor or the operator
    // still matches, which a list of the values this metric has would not
    variable.put("allValue", ".*");
    ObjectNode current = variable.putObject("current");
    current.putArray("text").add("All");
    current.putArray("value").add("$__all");
    variable.put("sort", 1);
    variable.put("hide", 0);
    return variable;
  }

  private static ObjectNode datasource(ObjectMapper json) {
    return json.createObjectNode().put("type", "prometheus").put("uid", "${datasource}");
  }

  private static void grid(ObjectNode node, int x, int y, int width, int height) {
    node.putObject("gridPos").put("h", height).put("w", width).put("x", x).put("y", y);
  }
}
