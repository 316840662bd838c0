package io.stochastic.devops.engine.input;

import java.util.Set;

/**
 * The built-in kinds that have no namespace. Offline input cannot ask a server for discovery, so
 * the list is fixed; any other kind is treated as namespaced.
 */
final class ClusterScopedKinds {
  private static final Set<String> KINDS = Set.of(
      "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "StorageClass", "PriorityClass", "RuntimeClass",
      "IngressClass", "CSIDriver", "CSINode", "VolumeAttachment", "APIService",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
      "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
      "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
      "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
      "ComponentStatus", "ClusterPolicyReport", "DeviceClass");

  private ClusterScopedKinds() {}

  static boolean isClusterScoped(String kind) {
    return kind != null && KINDS.contains(kind);
  }
}
