package io.stochastic.devops.api;

/** Labels kube-devops sets and selects on (DESIGN.md §2 and §4, contract). */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** {@link #MANAGED_BY} on the objects the GitOps sync applies. */
  public static final String MANAGED_BY_SYNC = "kube-devops-sync";
  /** {@link #MANAGED_BY} on objects the other components write (PolicyReports). */
  public static final String MANAGED_BY_KUBE_DEVOPS = "kube-devops";
  /** On a PolicyAuditResult: the name of the DevOpsPolicy it reports on. */
  public static final String POLICY = ApiGroup.GROUP + "/policy";

  private Labels() {}
}
