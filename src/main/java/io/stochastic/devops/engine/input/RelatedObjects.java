package io.stochastic.devops.engine.input;

import java.util.List;
import java.util.Map;

/**
 * What cross-object checks read ({@code related(kind)}): the objects of a kind that an object in
 * a namespace can refer to — those of the same namespace, and cluster-scoped ones (a RoleBinding
 * may name a ClusterRole). The offline audit backs it with the objects read ({@link ObjectSet});
 * the operator and the webhook with informer caches.
 */
public interface RelatedObjects {
  /** Nothing related: for an object judged alone. */
  RelatedObjects NONE = (namespace, kind) -> List.of();

  /**
   * Objects of {@code kind} visible from {@code namespace} (null: cluster-scoped ones only), as
   * the trees the engine reads. Callers do not change the lists or the trees.
   */
  List<Map<String, Object>> related(String namespace, String kind);
}
