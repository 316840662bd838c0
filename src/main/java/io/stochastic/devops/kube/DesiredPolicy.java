package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DevOpsPolicy as a file or a bundle declares it, in the namespace it is to be applied to.
 *
 * @param source where it was declared ({@code policies/namespaces/shop/policy.yaml#0})
 * @param object the object as written, with {@code metadata.namespace} set to {@code namespace}
 */
public record DesiredPolicy(String source, String namespace, String name,
    GenericKubernetesResource object) {

  /**
   * The policies among {@code objects}, each in its {@code metadata.namespace}, else in
   * {@code namespaceFlag} (-n), else in {@code defaultNamespace} (the context's), as kubectl
   * apply places objects. A policy whose namespace contradicts -n is an error, as in kubectl.
   */
  public static List<DesiredPolicy> fromFiles(List<KubeObject> objects, String namespaceFlag,
      String defaultNamespace) {
    List<DesiredPolicy> policies = new ArrayList<>();
    for (KubeObject object : objects) {
      if (!PolicyDocuments.isPolicy(object.content())) {
        continue;
      }
      Object declared = object.metadata().get("namespace");
      String namespace;
      if (declared instanceof String ns && !ns.isEmpty()) {
        if (namespaceFlag != null && !namespaceFlag.equals(ns)) {
          throw new IllegalArgumentException(object.source() + ": the policy's namespace " + ns
              + " does not match --namespace " + namespaceFlag);
        }
        namespace = ns;
      } else {
        namespace = namespaceFlag != null ? namespaceFlag : defaultNamespace;
      }
      policies.add(of(object.source(), namespace, object.name(), object.content()));
    }
    return policies;
  }

  /** A policy from a tree: {@code metadata.name} and {@code .namespace} are set as given. */
  @SuppressWarnings("unchecked")
  public static DesiredPolicy of(String source, String namespace, String name,
      Map<String, Object> content) {
    Map<String, Object> copy = new LinkedHashMap<>(content);
    Map<String, Object> metadata = copy.get("metadata") instanceof Map<?, ?> m
        ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    copy.put("metadata", metadata);
    GenericKubernetesResource object = Serialization.jsonMapper()
        .convertValue(copy, GenericKubernetesResource.class);
    return new DesiredPolicy(source, namespace, name, object);
  }
}
