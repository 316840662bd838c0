package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltInObjectKindsTest {
  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      serving.knative.dev/v1 | Service | true
      v1 | Service | false
      networking.k8s.io/v1 | Ingress | false
      extensions/v1beta1 | Ingress | false
      example.com/v1 | Ingress | true
      v1 | PodDisruptionBudget | false
      policy/v1 | PodDisruptionBudget | false
      example.com/v1 | Widget | false
      """)
  void aBuiltInKindNameInAnotherNamedGroupIsForeign(String apiVersion, String kind,
      boolean foreign) {
    KubeObject object = new KubeObject(
        Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", "x")),
        "t.yaml#0", "default");
    assertThat(BuiltInObjectKinds.inForeignGroup(object)).isEqualTo(foreign);
  }
}
