package io.stochastic.devops.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.ObjectSource;
import io.stochastic.devops.engine.input.ObjectTrees;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The objects of one namespace as informer caches hold them (the operator's, the watch
 * engine's): the {@link ObjectSource} of an evaluation that costs no API request. Each object goes
 * through the same normalisation ({@link ObjectTrees}) as a listed or a file-read one, so it gets
 * the same verdict as in {@code analyze}; the {@link ObjectSet} it returns is also the {@code
 * RelatedObjects} of the cross-object checks (Services, PDBs, HPAs of the namespace).
 */
public final class CachedObjectSource implements ObjectSource {
  /** One resource's cache: its objects in a namespace. */
  @FunctionalInterface
  public interface NamespaceCache {
    Stream<GenericKubernetesResource> list(String namespace);
  }

  private final Map<ClusterResource, ? extends NamespaceCache> caches;
  private final String namespace;

  /** @param caches one cache per resource watched */
  public CachedObjectSource(Map<ClusterResource, ? extends NamespaceCache> caches,
      String namespace) {
    this.caches = caches;
    this.namespace = namespace;
  }

  /**
   * What a cache-fed component watches for {@code checks}: the namespaced resources a cluster
   * audit lists for them (every workload kind and pods, and the kinds the checks judge or look
   * up). Cluster-scoped ones (ClusterRoles) are not watched: a namespace's checks that read them
   * see none.
   */
  public static Set<ClusterResource> resourcesFor(Collection<CheckDefinition> checks) {
    return ClusterObjectSource.namespacedResourcesRead(checks);
  }

  @Override
  public ObjectSet read() {
    List<KubeObject> objects = new ArrayList<>();
    String source = describe();
    caches.forEach((resource, cache) -> cache.list(namespace)
        .forEach(item -> objects.add(kubeObject(item, resource, source))));
    return new ObjectSet(objects);
  }

  /** A cached object as the engine sees it; the cached one is shared, so only read. */
  public static KubeObject kubeObject(GenericKubernetesResource item, ClusterResource resource,
      String source) {
    return ObjectTrees.kubeObject(tree(item, resource), source);
  }

  /**
   * {@link #kubeObject} in compact immutable maps: for an object kept beside the cache's own
   * copy for as long as it is unchanged (the operator's memo).
   */
  public static KubeObject compactKubeObject(GenericKubernetesResource item,
      ClusterResource resource, String source) {
    return ObjectTrees.compactKubeObject(tree(item, resource), source);
  }

  private static JsonNode tree(GenericKubernetesResource item, ClusterResource resource) {
    JsonNode tree = Serialization.jsonMapper().valueToTree(item);
    // a watch event's object may come without kind and apiVersion
    if (!tree.hasNonNull("kind") && tree.isObject()) {
      ((ObjectNode) tree).put("kind", resource.kind()).put("apiVersion", resource.apiVersion());
    }
    return tree;
  }

  @Override
  public String describe() {
    return "informer cache, namespace " + namespace;
  }
}
