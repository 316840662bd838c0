package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.ObjectSource;
import io.stochastic.devops.kube.CachedObjectSource;
import io.stochastic.devops.kube.ClusterResource;
import java.util.EnumMap;
import java.util.Map;

/**
 * The objects of one namespace as the operator's informer caches (JOSDK's) hold them: the {@link
 * ObjectSource} of a reconcile, so that an evaluation costs no API request. The shared {@link
 * CachedObjectSource} over JOSDK's caches, so that the operator and the watch engine normalise a
 * cached object alike, and as {@code analyze} does a listed one.
 */
public final class InformerObjectSource implements ObjectSource {
  private final CachedObjectSource source;

  /** @param caches one informer cache per resource watched */
  public InformerObjectSource(
      Map<ClusterResource, ? extends ResourceCache<GenericKubernetesResource>> caches,
      String namespace) {
    Map<ClusterResource, CachedObjectSource.NamespaceCache> adapted =
        new EnumMap<>(ClusterResource.class);
    caches.forEach((resource, cache) -> adapted.put(resource, cache::list));
    this.source = new CachedObjectSource(adapted, namespace);
  }

  @Override
  public ObjectSet read() {
    return source.read();
  }

  @Override
  public String describe() {
    return source.describe();
  }
}
