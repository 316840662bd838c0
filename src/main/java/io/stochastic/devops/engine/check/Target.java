package io.stochastic.devops.engine.check;

import java.util.Locale;

/**
 * What a check judges, which decides the CEL variables it sees and what its remediation patch is
 * relative to.
 */
public enum Target {
  /** Each container of a workload; patch paths are relative to the container. */
  CONTAINER,
  /** A workload's pod (template); patch paths are relative to the pod, as if it were a Pod. */
  POD,
  /** The workload object; patch paths are relative to the object. */
  WORKLOAD,
  /** An object of the kinds listed by the check (RBAC, ConfigMap, Ingress...). */
  OBJECT;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Target parse(String value) {
    for (Target t : values()) {
      if (t.id().equalsIgnoreCase(value)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown target '" + value + "' (expected container, pod, workload or object)");
  }
}
