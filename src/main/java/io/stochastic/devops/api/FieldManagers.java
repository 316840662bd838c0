package io.stochastic.devops.api;

/** The server-side apply field managers of the components (DESIGN.md §4, contract). */
public final class FieldManagers {
  public static final String SYNC = "kube-devops-sync";
  public static final String ENFORCER = "kube-devops-enforcer";
  public static final String AUDITOR = "kube-devops-auditor";

  private FieldManagers() {}
}
