package io.stochastic.devops.kube;

import io.stochastic.devops.api.Annotations;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes what the API server and controllers fill in from an object, leaving what a person
 * declares: what {@code policy export} writes and what {@code policy diff} compares.
 *
 * <p>Removed: {@code status}; from metadata {@code uid}, {@code resourceVersion},
 * {@code generation}, {@code creationTimestamp}, {@code deletionTimestamp},
 * {@code deletionGracePeriodSeconds}, {@code selfLink}, {@code managedFields},
 * {@code ownerReferences} (uids of one cluster), {@code finalizers} (the operator's) and
 * {@code generateName}; the annotations tools write about an object rather than for it
 * ({@code kubectl.kubernetes.io/last-applied-configuration}, the sync's
 * {@code devops.stochastic.io/source-revision} and {@code -source-path}). Empty labels and
 * annotations are dropped.
 */
public final class ServerFields {
  static final List<String> METADATA = List.of("uid", "resourceVersion", "generation",
      "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink",
      "managedFields", "ownerReferences", "finalizers", "generateName");
  static final List<String> ANNOTATIONS = List.of(
      "kubectl.kubernetes.io/last-applied-configuration",
      Annotations.SOURCE_REVISION,
      Annotations.SOURCE_PATH);

  private ServerFields() {}

  /** The object's tree without server-populated fields; the object itself is not changed. */
  public static Map<String, Object> strip(GenericKubernetesResource object) {
    return strip(tree(object));
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> strip(Map<String, Object> object) {
    Map<String, Object> copy = new LinkedHashMap<>(object);
    copy.remove("status");
    if (copy.get("metadata") instanceof Map<?, ?> metadata) {
      Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) metadata);
      METADATA.forEach(meta::remove);
      if (meta.get("annotations") instanceof Map<?, ?> annotations) {
        Map<String, Object> kept = new LinkedHashMap<>((Map<String, Object>) annotations);
        ANNOTATIONS.forEach(kept::remove);
        meta.put("annotations", kept);
      }
      for (String key : List.of("labels", "annotations")) {
        if (meta.get(key) instanceof Map<?, ?> map && map.isEmpty()) {
          meta.remove(key);
        }
      }
      copy.put("metadata", meta);
    }
    return copy;
  }

  /** The object as a plain tree of maps, lists and scalars. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> tree(GenericKubernetesResource object) {
    return Serialization.jsonMapper().convertValue(object, Map.class);
  }
}
