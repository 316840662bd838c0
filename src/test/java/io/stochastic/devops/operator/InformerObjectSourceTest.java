package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.kube.ClusterResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InformerObjectSourceTest {
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

  private final List<GenericKubernetesResource> pods = new ArrayList<>();
  private final Map<ClusterResource, ListCache> caches =
      Map.of(ClusterResource.POD, new ListCache(pods));
  private final ObjectTreeMemo memo = new ObjectTreeMemo();

  private List<KubeObject> read(String namespace) {
    return new InformerObjectSource(caches, namespace, memo).read().objects();
  }

  @Test
  void anUnchangedObjectIsConvertedOnceAndGivesTheSameTreeAsAFreshConversion() {
    pods.add(pod("a", "web", "1", 0));
    pods.add(pod("a", "api", "1", 0));

    List<KubeObject> first = read("a");
    List<KubeObject> second = read("a");

    assertThat(second).hasSize(2);
    assertThat(second.get(0)).isSameAs(first.get(0));
    assertThat(memo.conversions()).isEqualTo(2);
    assertThat(memo.hits()).isEqualTo(2);
    // the same content as the one normalisation of listed objects gives
    assertThat(second).extracting(KubeObject::content).isEqualTo(pods.stream()
        .map(p -> ObjectTrees.kubeObject(Serialization.jsonMapper().valueToTree(p), "x")
            .content()).toList());
    assertThat(second).extracting(KubeObject::source).containsOnly("informer cache, namespace a");
  }

  @Test
  void aNewResourceVersionIsConvertedAgain() {
    pods.add(pod("a", "web", "1", 0));
    read("a");
    pods.set(0, pod("a", "web", "2", 5));

    KubeObject changed = read("a").get(0);

    assertThat(memo.conversions()).isEqualTo(2);
    assertThat(changed.content()).extractingByKey("status").asString()
        .contains("restartCount=5");
  }

  @Test
  void objectsGoneFromTheCacheAndForgottenNamespacesLeaveTheMemo() {
    pods.add(pod("a", "web", "1", 0));
    pods.add(pod("a", "api", "1", 0));
    pods.add(pod("b", "web", "1", 0));
    read("a");
    read("b");
    assertThat(memo.size()).isEqualTo(3);

    pods.remove(0);
    assertThat(read("a")).extracting(KubeObject::name).containsExactly("api");
    assertThat(memo.size()).isEqualTo(2);

    memo.forget("b");
    assertThat(memo.size()).isEqualTo(1);
    pods.clear();
    read("a");
    assertThat(memo.size()).isZero();
  }
}
