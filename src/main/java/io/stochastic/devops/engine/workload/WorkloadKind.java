package io.stochastic.devops.engine.workload;

import java.util.Optional;
import java.util.Set;

/**
 * The kinds that carry a pod template, where the template is, and the API groups each kind has
 * been served from (current and older apiVersions: apps/v1beta1, apps/v1beta2,
 * extensions/v1beta1, batch/v1beta1). The core group is accepted for every kind because manifests
 * in the wild (and Polaris's fixtures) write {@code apiVersion: v1} loosely; a kind of the same
 * name in any other group is a custom resource, not a workload.
 */
public enum WorkloadKind {
  POD("Pod", "", Set.of("")),
  DEPLOYMENT("Deployment", "/spec/template", Set.of("", "apps", "extensions")),
  STATEFUL_SET("StatefulSet", "/spec/template", Set.of("", "apps")),
  DAEMON_SET("DaemonSet", "/spec/template", Set.of("", "apps", "extensions")),
  REPLICA_SET("ReplicaSet", "/spec/template", Set.of("", "apps", "extensions")),
  REPLICATION_CONTROLLER("ReplicationController", "/spec/template", Set.of("")),
  JOB("Job", "/spec/template", Set.of("", "batch")),
  CRON_JOB("CronJob", "/spec/jobTemplate/spec/template", Set.of("", "batch"));

  private final String kind;
  private final String podPointer;
  private final Set<String> groups;

  WorkloadKind(String kind, String podPointer, Set<String> groups) {
    this.kind = kind;
    this.podPointer = podPointer;
    this.groups = groups;
  }

  public String kind() {
    return kind;
  }

  /** JSON pointer of the pod (template) inside the object; empty for a Pod. */
  public String podPointer() {
    return podPointer;
  }

  /** The API groups the kind is served from ({@code ""} the core group). */
  public Set<String> groups() {
    return groups;
  }

  public static Optional<WorkloadKind> of(String group, String kind) {
    for (WorkloadKind k : values()) {
      if (k.kind.equals(kind) && k.groups.contains(group == null ? "" : group)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
