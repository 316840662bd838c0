package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.ObjectSource;
import io.stochastic.devops.kube.CachedObjectSource;
import io.stochastic.devops.kube.ClusterResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects of one namespace as the operator's informer caches (JOSDK's) hold them: the {@link
 * ObjectSource} of a reconcile, so that an evaluation costs no API request. Each object goes
 * through the normalisation of {@link CachedObjectSource} (the watch engine's, and as {@code
 * analyze} does a listed one), so it gets the same verdict; the {@link ObjectSet} it returns is
 * also the {@code RelatedObjects} of the cross-object checks. An object is converted once per
 * resourceVersion when the reads share an {@link ObjectTreeMemo}.
 */
public final class InformerObjectSource implements ObjectSource {
  private final Map<ClusterResource, ? extends ResourceCache<GenericKubernetesResource>> caches;
  private final String namespace;
  private final ObjectTreeMemo memo;

  /** @param caches one informer cache per resource watched */
  public InformerObjectSource(
      Map<ClusterResource, ? extends ResourceCache<GenericKubernetesResource>> caches,
      String namespace) {
    this(caches, namespace, new ObjectTreeMemo());
  }

  /** @param memo the objects converted by earlier reads, shared by the reads of every namespace */
  InformerObjectSource(
      Map<ClusterResource, ? extends ResourceCache<GenericKubernetesResource>> caches,
      String namespace, ObjectTreeMemo memo) {
    this.caches = caches;
    this.namespace = namespace;
    this.memo = memo;
  }

  @Override
  public ObjectSet read() {
    List<KubeObject> objects = new ArrayList<>();
    String source = describe();
    caches.forEach((resource, cache) -> memo.read(resource, namespace,
        cache.list(namespace).toList(), item -> convert(resource, item, source), objects));
    return new ObjectSet(objects);
  }

  private static KubeObject convert(ClusterResource resource, GenericKubernetesResource item,
      String source) {
    // Compact: the memo keeps it as long as the object is unchanged, beside the informer's copy.
    return CachedObjectSource.compactKubeObject(item, resource, source);
  }

  @Override
  public String describe() {
    return "informer cache, namespace " + namespace;
  }
}
