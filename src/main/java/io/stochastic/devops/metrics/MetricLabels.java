package io.stochastic.devops.metrics;

/**
 * Label names used by more than one metric. Every component uses the same name for the same
 * thing, so that queries can join the auditor's, the operator's and the webhook's series.
 */
public final class MetricLabels {
  /** The cluster's name as the operator of kube-devops configured it (not a context name). */
  public static final String CLUSTER = "cluster";
  public static final String NAMESPACE = "namespace";
  /** The DevOpsPolicy governing a namespace, or {@link #NO_POLICY}. */
  public static final String POLICY = "policy";
  /** {@code critical}, {@code high}, {@code medium} or {@code low}. */
  public static final String SEVERITY = "severity";
  /** A check id ({@code livenessProbeMissing}). */
  public static final String CHECK = "check";

  /** The {@link #POLICY} value of a namespace without a DevOpsPolicy (judged by the default bundle). */
  public static final String NO_POLICY = "none";

  private MetricLabels() {}
}
