package io.stochastic.devops.api;

/** Annotations kube-devops reads or writes (DESIGN.md §1 and §4, contract). */
public final class Annotations {
  /** On a workload or pod, {@code "true"}: skip it entirely. */
  public static final String EXEMPT = ApiGroup.GROUP + "/exempt";
  /** On a workload or pod, {@code "id1,id2"}: skip those checks. */
  public static final String EXEMPT_CHECKS = ApiGroup.GROUP + "/exempt-checks";
  /**
   * Polaris's annotations, honoured so that workloads exempted for Polaris stay exempt after a
   * move to kube-devops: {@code polaris.fairwinds.com/exempt: "true"} skips the workload, {@code
   * polaris.fairwinds.com/<checkId>-exempt: "true"} one check (Polaris's check ids are ours).
   */
  public static final String POLARIS_EXEMPT = "polaris.fairwinds.com/exempt";
  public static final String POLARIS_PREFIX = "polaris.fairwinds.com/";
  public static final String POLARIS_CHECK_EXEMPT_SUFFIX = "-exempt";
  /** On a bundle definition: what the bundle is for. */
  public static final String DESCRIPTION = ApiGroup.GROUP + "/description";
  /** On objects the sync applies: the Git commit they came from. */
  public static final String SOURCE_REVISION = ApiGroup.GROUP + "/source-revision";
  /** On objects the sync applies: the file they came from. */
  public static final String SOURCE_PATH = ApiGroup.GROUP + "/source-path";
  /** {@code disabled}: the sync never prunes the object. */
  public static final String PRUNE = ApiGroup.GROUP + "/prune";
  /** On a PolicyReport: how many results were left out to keep it small. */
  public static final String RESULTS_OMITTED = ApiGroup.GROUP + "/results-omitted";
  /** On workloads enforcement changed: who, when, and for which checks. */
  public static final String PATCHED_BY = ApiGroup.GROUP + "/patched-by";
  public static final String PATCHED_AT = ApiGroup.GROUP + "/patched-at";
  public static final String PATCHED_CHECKS = ApiGroup.GROUP + "/patched-checks";

  private Annotations() {}
}
