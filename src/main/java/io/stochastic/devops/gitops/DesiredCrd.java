package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * A CustomResourceDefinition a policy tree carries (the DevOpsPolicy CRD itself, say, so that a
 * new cluster gets it from the same repository): applied before the policies and never pruned.
 *
 * @param source where it was declared ({@code policies/crds/devopspolicies.yaml#0})
 * @param name the CRD's name ({@code devopspolicies.devops.stochastic.io})
 * @param object the CRD as written, marked for the sync
 */
public record DesiredCrd(String source, String name, GenericKubernetesResource object) {
  static final String API_VERSION = "apiextensions.k8s.io/v1";
  static final String KIND = "CustomResourceDefinition";

  static boolean isCrd(Map<String, Object> content) {
    return API_VERSION.equals(content.get("apiVersion")) && KIND.equals(content.get("kind"));
  }

  static DesiredCrd of(String source, String name, Map<String, Object> content) {
    return new DesiredCrd(source, name,
        Serialization.jsonMapper().convertValue(content, GenericKubernetesResource.class));
  }
}
