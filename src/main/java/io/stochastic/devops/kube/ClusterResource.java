package io.stochastic.devops.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;
import java.util.Optional;

/**
 * The built-in resources a cluster audit lists: every workload kind, and the kinds the catalog's
 * checks judge or look up ({@code related(kind)}). Declared, so that no discovery request is
 * needed; the auditor's ClusterRole ({@code cronjobs/auditor-rbac.yaml}) grants exactly these.
 */
public enum ClusterResource {
  POD("", "v1", "Pod", "pods", true, true),
  REPLICATION_CONTROLLER("", "v1", "ReplicationController", "replicationcontrollers", true, true),
  DEPLOYMENT("apps", "v1", "Deployment", "deployments", true, true),
  STATEFUL_SET("apps", "v1", "StatefulSet", "statefulsets", true, true),
  DAEMON_SET("apps", "v1", "DaemonSet", "daemonsets", true, true),
  REPLICA_SET("apps", "v1", "ReplicaSet", "replicasets", true, true),
  JOB("batch", "v1", "Job", "jobs", true, true),
  CRON_JOB("batch", "v1", "CronJob", "cronjobs", true, true),
  CONFIG_MAP("", "v1", "ConfigMap", "configmaps", true, false),
  SERVICE_ACCOUNT("", "v1", "ServiceAccount", "serviceaccounts", true, false),
  SERVICE("", "v1", "Service", "services", true, false),
  HORIZONTAL_POD_AUTOSCALER("autoscaling", "v2", "HorizontalPodAutoscaler",
      "horizontalpodautoscalers", true, false),
  POD_DISRUPTION_BUDGET("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true,
      false),
  NETWORK_POLICY("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, false),
  INGRESS("networking.k8s.io", "v1", "Ingress", "ingresses", true, false),
  ROLE("rbac.authorization.k8s.io", "v1", "Role", "roles", true, false),
  ROLE_BINDING("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, false),
  CLUSTER_ROLE("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, false),
  CLUSTER_ROLE_BINDING("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding",
      "clusterrolebindings", false, false);

  private final ResourceDefinitionContext context;
  private final boolean workload;

  ClusterResource(String group, String version, String kind, String plural, boolean namespaced,
      boolean workload) {
    this.context = new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
        .withNamespaced(namespaced).build();
    this.workload = workload;
  }

  public ResourceDefinitionContext context() {
    return context;
  }

  public String kind() {
    return context.getKind();
  }

  public String plural() {
    return context.getPlural();
  }

  public boolean namespaced() {
    return Boolean.TRUE.equals(context.isNamespaceScoped());
  }

  /** Whether the kind carries a pod template (or is a Pod): listed whatever the policy. */
  public boolean workload() {
    return workload;
  }

  /** {@code apps/v1} or {@code v1}. */
  public String apiVersion() {
    String group = context.getGroup();
    return group == null || group.isEmpty() ? context.getVersion()
        : group + "/" + context.getVersion();
  }

  /** {@code deployments.apps}, {@code pods}: as kubectl and RBAC rules name it. */
  public String displayType() {
    String group = context.getGroup();
    return group == null || group.isEmpty() ? plural() : plural() + "." + group;
  }

  public static Optional<ClusterResource> ofKind(String kind) {
    for (ClusterResource resource : values()) {
      if (resource.kind().equals(kind)) {
        return Optional.of(resource);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return displayType().toLowerCase(Locale.ROOT);
  }
}
