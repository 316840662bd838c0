package io.stochastic.devops.deploy;

import io.stochastic.devops.runtime.ComponentSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** The runtime components of DESIGN.md §4, each with its own ServiceAccount and RBAC. */
public enum Component {
  OPERATOR("reconcile", "the operator: DevOpsPolicy status, Events and enforcement"),
  WATCH("watch", "the watch engine: live cluster and namespace scores"),
  SYNC("sync", "the GitOps sync: policies from Git, applied with server-side apply and pruned"),
  AUDITOR("auditor run", "the batch auditor (a CronJob): PolicyAuditResults, PolicyReports and "
      + "Pushgateway metrics"),
  WEBHOOK("webhook serve", "the admission webhook: validate and mutate against each "
      + "namespace's policy");

  /** The value of {@link #NAME} and {@link #PART_OF} on everything kube-devops deploys. */
  public static final String PROJECT = "kube-devops";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String VERSION = "app.kubernetes.io/version";
  /** The name of the Service port that serves {@code /metrics} (ServiceMonitors select it). */
  public static final String METRICS_PORT_NAME = "metrics";
  /** DESIGN.md §4: the watch engine serves {@code /metrics} on 8080 ({@code watch --metrics-port}). */
  private static final int WATCH_METRICS_PORT = 8080;

  private final String command;
  private final String purpose;

  Component(String command, String purpose) {
    this.command = command;
    this.purpose = purpose;
  }

  /** {@code operator}: the name in Lease, metric, account and label values. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code kube-devops-operator}: its ServiceAccount, roles, bindings and Lease. */
  public String accountName() {
    return "kube-devops-" + id();
  }

  /** The {@code kube-devops} subcommand it runs. */
  public String command() {
    return command;
  }

  public String purpose() {
    return purpose;
  }

  /**
   * The default port of its {@code /metrics}; none for the auditor, a CronJob that pushes its
   * metrics to a Pushgateway instead of being scraped.
   */
  public OptionalInt metricsPort() {
    return switch (this) {
      case AUDITOR -> OptionalInt.empty();
      case WATCH -> OptionalInt.of(WATCH_METRICS_PORT);
      default -> OptionalInt.of(ComponentSettings.DEFAULT_PORT);
    };
  }

  /**
   * {@code app.kubernetes.io/name: kube-devops} and {@code app.kubernetes.io/component: <id>}:
   * what selects its pods and its Service ({@code kube-devops-<id>}).
   */
  public Map<String, String> selectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, PROJECT);
    labels.put(COMPONENT, id());
    return labels;
  }
}
