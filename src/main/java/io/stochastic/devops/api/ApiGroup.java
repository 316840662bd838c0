package io.stochastic.devops.api;

/** The API group and version of kube-devops's custom resources (DESIGN.md §2, contract). */
public final class ApiGroup {
  public static final String GROUP = "devops.stochastic.io";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String DEVOPS_POLICY = "DevOpsPolicy";
  public static final String POLICY_AUDIT_RESULT = "PolicyAuditResult";

  private ApiGroup() {}
}
