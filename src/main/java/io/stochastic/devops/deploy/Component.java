package io.stochastic.devops.deploy;

import java.util.Locale;

/** The runtime components of DESIGN.md §4, each with its own ServiceAccount and RBAC. */
public enum Component {
  OPERATOR("reconcile", "the operator: DevOpsPolicy status, Events and enforcement"),
  WATCH("watch", "the watch engine: live cluster and namespace scores"),
  SYNC("sync", "the GitOps sync: policies from Git, applied with server-side apply and pruned"),
  AUDITOR("auditor run", "the batch auditor (a CronJob): PolicyAuditResults, PolicyReports and "
      + "Pushgateway metrics"),
  WEBHOOK("webhook serve", "the admission webhook: validate and mutate against each "
      + "namespace's policy");

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
}
