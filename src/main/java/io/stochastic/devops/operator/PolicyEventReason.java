package io.stochastic.devops.operator;

/** The reasons of the Events the operator records on a DevOpsPolicy. */
public enum PolicyEventReason {
  /** The namespace had no violation (or was not evaluated yet) and now has some: Warning. */
  ViolationsFound,
  /** The namespace had violations and now has none: Normal. */
  ViolationsCleared
}
