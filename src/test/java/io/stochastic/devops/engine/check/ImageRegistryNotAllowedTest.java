package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * imageRegistryNotAllowed's normalisation of image names and matching of prefixes, under an
 * allow-list other than the default (which allows all of Docker Hub, so that short names never
 * show their normalised form there): both evaluators, same verdict and value.
 */
class ImageRegistryNotAllowedTest {
  private static final String ALLOWED = "docker.io/library registry.example.com/ "
      + "quay.io/prometheus/node-exporter";

  @ParameterizedTest(name = "{0} under [{1}]: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      nginx:1.27.2                                   | PASS | ''
      nginx                                          | PASS | ''
      docker.io/nginx@sha256:4f1c                    | PASS | ''
      index.docker.io/library/nginx:1.27.2           | PASS | ''
      bitnami/redis:7.4.1                            | FAIL | bitnami/redis:7.4.1 (docker.io/bitnami/redis:7.4.1)
      index.docker.io/bitnami/redis:7.4.1            | FAIL | index.docker.io/bitnami/redis:7.4.1 (docker.io/bitnami/redis:7.4.1)
      registry.example.com/shop/api:1.9.0            | PASS | ''
      registry.example.com.evil.io/shop/api:1.9.0    | FAIL | registry.example.com.evil.io/shop/api:1.9.0
      registry.example.com:5000/shop/api:1.9.0       | FAIL | registry.example.com:5000/shop/api:1.9.0
      quay.io/prometheus/node-exporter:v1.8.2        | PASS | ''
      quay.io/prometheus/node-exporter@sha256:4f1c   | PASS | ''
      quay.io/prometheus/node-exporter-fake:v1       | FAIL | quay.io/prometheus/node-exporter-fake:v1
      quay.io/prometheus/alertmanager:v0.27.0        | FAIL | quay.io/prometheus/alertmanager:v0.27.0
      localhost/web:1.0                              | FAIL | localhost/web:1.0
      """)
  void normalisesAndMatchesAtPathBoundaries(String image, String verdict, String value) {
    CompiledCheck check = TestUtils.catalog().compiled("imageRegistryNotAllowed");
    Map<String, Object> params = Map.of("allowedRegistries", Arrays.asList(ALLOWED.split(" ")));
    KubeObject pod = TestUtils.object("{apiVersion: v1, kind: Pod, metadata: {name: web}, "
        + "spec: {containers: [{name: web, image: '" + image + "'}]}}");
    CheckEvaluation.Subject subject = new CheckEvaluation(new ObjectSet(List.of(pod)),
        TestUtils.NOW, true).subject(pod, Workload.of(pod).orElseThrow());
    List<CompiledCheck.Outcome> direct = new ArrayList<>();
    List<CompiledCheck.Outcome> interpreted = new ArrayList<>();
    subject.forEachTarget(check, params, (bindings, container, pointer) -> {
      direct.add(check.evaluateDirectly(bindings, subject.related()));
      interpreted.add(check.evaluateInterpreted(bindings, subject.related().resolver()));
    });
    CompiledCheck.Outcome expected = new CompiledCheck.Outcome(
        CompiledCheck.Verdict.valueOf(verdict), value.isEmpty() ? null : value, null);
    assertThat(direct).as("direct evaluation").containsExactly(expected);
    assertThat(interpreted).as("cel-java").containsExactly(expected);
  }
}
