package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.TestUtils;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON from a cluster becomes the tree the manifest reader makes of the same object. */
class ObjectTreesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSameObjectAsJsonAndAsYamlGivesEqualTrees() throws Exception {
    JsonNode json = JSON.readTree("""
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "web", "namespace": "shop", "annotations": null,
                      "labels": {"app": "web"}, "generation": 3},
         "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                                  "ports": [{"containerPort": 8080}],
                                  "resources": {"limits": {"cpu": "500m", "memory": null}}}],
                  "terminationGracePeriodSeconds": 30, "priority": 1.5,
                  "hostNetwork": false},
         "status": {"containerStatuses": [{"name": "web", "restartCount": 12345678901}]}}
        """);
    KubeObject yaml = TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: shop
          annotations:
          labels: {app: web}
          generation: 3
        spec:
          containers:
            - name: web
              image: nginx:1.27
              ports: [{containerPort: 8080}]
              resources: {limits: {cpu: 500m, memory: ~}}
          terminationGracePeriodSeconds: 30
          priority: 1.5
          hostNetwork: false
        status:
          containerStatuses: [{name: web, restartCount: 12345678901}]
        """);

    KubeObject fromJson = ObjectTrees.kubeObject(json, "cluster test");

    assertThat(fromJson.content()).isEqualTo(yaml.content());
    assertThat(fromJson.namespace()).isEqualTo("shop");
    Map<String, Object> spec = KubeObject.mapAt(fromJson.content(), "spec");
    assertThat(spec.get("terminationGracePeriodSeconds")).isInstanceOf(Long.class);
    assertThat(spec.get("priority")).isInstanceOf(Double.class);
    assertThat(fromJson.metadata()).doesNotContainKey("annotations");
  }

  @Test
  void wholeNumbersBeyondLongBecomeDoubles() throws Exception {
    Map<String, Object> tree = ObjectTrees.tree(JSON.readTree("{\"n\": 99999999999999999999}"));
    assertThat(tree.get("n")).isEqualTo(1.0E20);
  }

  @Test
  void notAnObjectIsNoKubeObject() throws Exception {
    assertThat(ObjectTrees.kubeObject(JSON.readTree("[1, 2]"), "x")).isNull();
    assertThat(ObjectTrees.tree(JSON.readTree("{\"a\": [null, 1]}")).get("a"))
        .isEqualTo(java.util.Arrays.asList(null, 1L));
  }
}
