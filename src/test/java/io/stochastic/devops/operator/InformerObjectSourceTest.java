package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.kube.ClusterResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class InformerObjectSourceTest {
  /** An informer cache holding what the test puts in it. */
  private static final class FakeCache implements ResourceCache<GenericKubernetesResource> {
    final List<GenericKubernetesResource> items = new ArrayList<>();

    @Override
    public Stream<GenericKubernetesResource> list(String namespace,
        Predicate<GenericKubernetesResource> predicate) {
      return items.stream().filter(i -> Objects.equals(namespace, i.getMetadata().getNamespace()))
          .filter(predicate);
    }

    @Override
    public Optional<GenericKubernetesResource> get(ResourceID id) {
      return Optional.empty();
    }

    @Override
    public Stream<ResourceID> keys() {
      return Stream.empty();
    }

    @Override
    public Stream<GenericKubernetesResource> list(Predicate<GenericKubernetesResource> predicate) {
      return items.stream().filter(predicate);
    }
  }

  private static GenericKubernetesResource pod(String namespace, String name, String version,
      int restarts) {
    return new GenericKubernetesResourceBuilder().withApiVersion("v1").withKind("Pod")
        .withNewMetadata().withNamespace(namespace).withName(name).withUid(namespace + "-" + name)
        .withResourceVersion(version).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("containers",
            List.of(Map.of("name", "app", "image", "nginx"))), "status",
            Map.of("containerStatuses", List.of(Map.of("name", "app", "restartCount",
                restarts)))))
        .build();
  }

  private final FakeCache pods = new FakeCache();
  private final Map<ClusterResource, FakeCache> caches = Map.of(ClusterResource.POD, pods);
  private final ObjectTreeMemo memo = new ObjectTreeMemo();

  private List<KubeObject> read(String namespace) {
    return new InformerObjectSource(caches, namespace, memo).read().objects();
  }

  @Test
  void anUnchangedObjectIsConvertedOnceAndGivesTheSameTreeAsAFreshConversion() {
    pods.items.add(pod("a", "web", "1", 0));
    pods.items.add(pod("a", "api", "1", 0));

    List<KubeObject> first = read("a");
    List<KubeObject> second = read("a");

    assertThat(second).hasSize(2);
    assertThat(second.get(0)).isSameAs(first.get(0));
    assertThat(memo.conversions()).isEqualTo(2);
    assertThat(memo.hits()).isEqualTo(2);
    // the same content as the one normalisation of listed objects gives
    assertThat(second).extracting(KubeObject::content).isEqualTo(pods.items.stream()
        .map(p -> ObjectTrees.kubeObject(Serialization.jsonMapper().valueToTree(p), "x")
            .content()).toList());
    assertThat(second).extracting(KubeObject::source).containsOnly("informer cache, namespace a");
  }

  @Test
  void aNewResourceVersionIsConvertedAgain() {
    pods.items.add(pod("a", "web", "1", 0));
    read("a");
    pods.items.set(0, pod("a", "web", "2", 5));

    KubeObject changed = read("a").get(0);

    assertThat(memo.conversions()).isEqualTo(2);
    assertThat(changed.content()).extractingByKey("status").asString()
        .contains("restartCount=5");
  }

  @Test
  void objectsGoneFromTheCacheAndForgottenNamespacesLeaveTheMemo() {
    pods.items.add(pod("a", "web", "1", 0));
    pods.items.add(pod("a", "api", "1", 0));
    pods.items.add(pod("b", "web", "1", 0));
    read("a");
    read("b");
    assertThat(memo.size()).isEqualTo(3);

    pods.items.remove(0);
    assertThat(read("a")).extracting(KubeObject::name).containsExactly("api");
    assertThat(memo.size()).isEqualTo(2);

    memo.forget("b");
    assertThat(memo.size()).isEqualTo(1);
    pods.items.clear();
    read("a");
    assertThat(memo.size()).isZero();
  }
}
