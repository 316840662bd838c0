package io.stochastic.devops.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The PolicyAuditResult CRD of crds/ as the API server enforces it (DESIGN.md §2). */
@IntegrationTest
class PolicyAuditResultCrdIT {
  @Test
  void printerColumnsAndShortName(TestingApiServer server) {
    CustomResourceDefinition crd = server.client().apiextensions().v1()
        .customResourceDefinitions().withName("policyauditresults.devops.stochastic.io").get();

    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("par");
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Policy", "Score", "Class", "Age");
  }

  @Test
  void aResultWithinTheCapIsStoredAndReadAsTheGeneratedModel(KubernetesClient client) {
    client.resource(result("within", 500)).create();

    PolicyAuditResult stored = client.resources(PolicyAuditResult.class).withName("within").get();
    assertThat(stored.getSpec().getFindings()).hasSize(500);
    assertThat(stored.getSpec().getPolicyRef().getName()).isEqualTo("shop");
    assertThat(stored.getSpec().getScore()).isEqualTo(87);
  }

  @Test
  void findingsAreCappedByTheSchema(KubernetesClient client) {
    assertThatThrownBy(() -> client.resource(result("over", 501)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.findings").contains("must have at most 500 items");
        });
  }

  @Test
  void requiredFieldsAndRangesAreValidated(KubernetesClient client) {
    GenericKubernetesResource invalid = Serialization.unmarshal("""
        apiVersion: devops.stochastic.io/v1
        kind: PolicyAuditResult
        metadata: {name: invalid}
        spec:
          policyRef: {name: shop}
          auditTime: "2026-11-22T10:00:00Z"
          score: 101
          classification: Fine
        """, GenericKubernetesResource.class);

    assertThatThrownBy(() -> client.resource(invalid).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.score").contains("spec.classification")
              .contains("spec.summary: Required value");
        });
  }

  private static GenericKubernetesResource result(String name, int findings) {
    String items = IntStream.range(0, findings)
        .mapToObj(i -> "    - {kind: Deployment, name: web-" + i + ", check: livenessProbeMissing,"
            + " severity: medium}")
        .collect(Collectors.joining("\n"));
    return Serialization.unmarshal("""
        apiVersion: devops.stochastic.io/v1
        kind: PolicyAuditResult
        metadata:
          name: %s
          labels: {devops.stochastic.io/policy: shop}
        spec:
          policyRef: {name: shop, generation: 2}
          cluster: prod-eu
          auditTime: "2026-11-22T10:00:00Z"
          score: 87
          classification: Healthy
          summary: {workloads: %d, passed: 10, failed: %d}
          findings:
        %s
          truncated: false
        """.formatted(name, findings, findings, items), GenericKubernetesResource.class);
  }
}
