package io.stochastic.devops.engine.input;

import java.util.List;
import java.util.Map;

/**
 * The API groups of the built-in kinds the catalog's object checks judge. A custom resource may
 * reuse such a name in its own group (Knative's {@code serving.knative.dev} Service is no core
 * Service): a check written for the built-in kind does not judge it. Kinds not listed here (a
 * custom check's own kinds) match in any group.
 */
public final class BuiltInObjectKinds {
  private static final Map<String, List<String>> GROUPS = Map.ofEntries(
      Map.entry("Service", List.of("")),
      Map.entry("ConfigMap", List.of("")),
      Map.entry("ServiceAccount", List.of("")),
      Map.entry("Ingress", List.of("networking.k8s.io", "extensions")),
      Map.entry("NetworkPolicy", List.of("networking.k8s.io", "extensions")),
      Map.entry("PodDisruptionBudget", List.of("policy")),
      Map.entry("HorizontalPodAutoscaler", List.of("autoscaling")),
      Map.entry("Role", List.of("rbac.authorization.k8s.io")),
      Map.entry("RoleBinding", List.of("rbac.authorization.k8s.io")),
      Map.entry("ClusterRole", List.of("rbac.authorization.k8s.io")),
      Map.entry("ClusterRoleBinding", List.of("rbac.authorization.k8s.io")));

  private BuiltInObjectKinds() {}

  /**
   * Whether the object has a built-in kind's name in another named group. A custom resource
   * always has a group; an object without one ({@code apiVersion: v1}, as Polaris's fixtures
   * write PodDisruptionBudgets) is taken for the built-in kind.
   */
  public static boolean inForeignGroup(KubeObject object) {
    List<String> groups = GROUPS.get(object.kind());
    String group = object.group();
    return groups != null && !group.isEmpty() && !groups.contains(group);
  }
}
