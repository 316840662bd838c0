package io.stochastic.devops.operator;

/** The reasons of the Events the operator records on a DevOpsPolicy (and enforced workloads). */
public enum PolicyEventReason {
  /** The namespace had no violation (or was not evaluated yet) and now has some: Warning. */
  ViolationsFound,
  /** The namespace had violations and now has none: Normal. */
  ViolationsCleared,
  /** Enforce mode patched a workload (on the policy and the workload): Normal. */
  WorkloadPatched,
  /**
   * Enforce mode left a fix to the owner of the field (another manager owns it, or the fix is a
   * removal): Normal.
   */
  FixLeftToOwner,
  /** The server dry run refused an enforcement patch; none was made: Warning. */
  EnforcementRejected
}
