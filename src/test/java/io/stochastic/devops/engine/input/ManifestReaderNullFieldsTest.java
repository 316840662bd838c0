package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A field written with no value is null in YAML, and absent to Kubernetes and to the checks. */
class ManifestReaderNullFieldsTest {

  @Test
  void fieldsWithoutValueAreDroppedAtEveryDepth() {
    KubeObject pod = TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations:
        spec:
          securityContext:
          containers:
            - name: web
              image: nginx:1.27.2
              resources:
                requests:
                limits: ~
              securityContext:
                capabilities:
                  add: null
        """);

    assertThat(pod.metadata()).containsOnlyKeys("name");
    Map<String, Object> spec = KubeObject.mapAt(pod.content(), "spec");
    assertThat(spec).containsOnlyKeys("containers");
    @SuppressWarnings("unchecked")
    Map<String, Object> container = ((List<Map<String, Object>>) spec.get("containers")).get(0);
    assertThat(KubeObject.mapAt(container, "resources")).isEmpty();
    assertThat(KubeObject.mapAt(KubeObject.mapAt(container, "securityContext"), "capabilities"))
        .isEmpty();
  }

  @Test
  void emptyStringsThatAreWrittenStayStrings() {
    KubeObject pod = TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            tier: ""
            zone: ''
        spec: {}
        """);

    assertThat(pod.labels()).containsEntry("tier", "").containsEntry("zone", "");
  }

  @Test
  void aCheckReadsANullFieldAsAbsentRatherThanFailingToEvaluate() {
    KubeObject pod = TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
            - name: web
              image: nginx:1.27.2
              resources:
                limits:
        """);

    var results = TestUtils.engineWithoutSystemNamespaces()
        .audit(ObjectSet.of(pod), ns -> TestUtils.bundle("restricted"))
        .subjects().get(0).results().stream()
        .filter(r -> r.check().equals("memoryLimitsMissing")).toList();

    assertThat(results).singleElement()
        .satisfies(r -> assertThat(r.passed()).isFalse())
        .satisfies(r -> assertThat(r.error()).isFalse());
  }
}
