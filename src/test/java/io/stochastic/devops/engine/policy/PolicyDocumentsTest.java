package io.stochastic.devops.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {
  @Test
  void aPolicyWithAnOperatorsStatusIsReadForItsSpec() {
    Map<String, Object> content = Map.of(
        "apiVersion", PolicyDocuments.API_VERSION, "kind", PolicyDocuments.KIND,
        "metadata", Map.of("name", "team"),
        "spec", Map.of("bundle", "baseline"),
        "status", Map.of("healthScore", 76, "conditions", List.of(Map.of("type", "Ready",
            "status", "True", "lastTransitionTime", "2026-12-03T09:05:22Z"))));
    assertThat(PolicyDocuments.fromTree("team", content).getSpec().getBundle().getValue())
        .isEqualTo("baseline");
  }
}
