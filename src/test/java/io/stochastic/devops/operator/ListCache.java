package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** An informer cache holding the objects of a list, as the caller changes it. */
final class ListCache implements ResourceCache<GenericKubernetesResource> {
  private final List<GenericKubernetesResource> items;

  ListCache(List<GenericKubernetesResource> items) {
    this.items = items;
  }

  @Override
  public Stream<GenericKubernetesResource> list(String namespace,
      Predicate<GenericKubernetesResource> predicate) {
    return items.stream().filter(i -> Objects.equals(namespace, i.getMetadata().getNamespace()))
        .filter(predicate);
  }

  @Override
  public Stream<GenericKubernetesResource> list(Predicate<GenericKubernetesResource> predicate) {
    return items.stream().filter(predicate);
  }

  @Override
  public Optional<GenericKubernetesResource> get(ResourceID id) {
    return Optional.empty();
  }

  @Override
  public Stream<ResourceID> keys() {
    return Stream.empty();
  }
}
