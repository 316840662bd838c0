package io.stochastic.devops.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.v1.DevOpsPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {
  @Test
  void aPolicyReadBackWithItsStatusIsValid() {
    // as the operator's informer cache holds it once a status was written
    DevOpsPolicy policy = PolicyDocuments.fromTree("DevOpsPolicy shop/shop", Map.of(
        "apiVersion", PolicyDocuments.API_VERSION, "kind", PolicyDocuments.KIND,
        "metadata", Map.of("name", "shop", "namespace", "shop"),
        "spec", Map.of("bundle", "baseline", "maxRestartCount", 3),
        "status", Map.of("observedGeneration", 1, "lastEvaluated", "2026-12-03T09:06:54Z")));

    assertThat(policy.getSpec().getMaxRestartCount()).isEqualTo(3);
    assertThat(policy.getStatus().getLastEvaluated().toInstant().toString())
        .isEqualTo("2026-12-03T09:06:54Z");
    assertThat(PolicyDocuments.toTree(policy.getStatus()))
        .containsEntry("lastEvaluated", "2026-12-03T09:06:54Z");
  }
}
