package io.stochastic.devops.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.v1.DevOpsPolicySpec.EnforcementMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRDs of crds/ as a real API server enforces them: schema, status subresource, apply. */
@IntegrationTest
class DevOpsPolicyCrdIT {
  private static final String SYNC = "kube-devops-sync";
  private static final String ENFORCER = "kube-devops-enforcer";

  @Test
  void crdsAreInstalledFromTheYamlFilesAndEstablished(TestingApiServer server) {
    for (String name : List.of("devopspolicies.devops.stochastic.io", "policyauditresults.devops.stochastic.io")) {
      CustomResourceDefinition crd = server.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(TestingApiServer.established(crd)).as(name + " Established").isTrue();
    }
    // Printer columns and short names exist only in the YAML: their presence shows it was applied.
    CustomResourceDefinition policies =
        server.client().apiextensions().v1().customResourceDefinitions().withName("devopspolicies.devops.stochastic.io").get();
    assertThat(policies.getSpec().getNames().getShortNames()).containsExactly("dop");
    assertThat(policies.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Mode", "Score", "Class", "Violations", "Age");
  }

  @Test
  void schemaRejectsAnUnknownEnumValue(KubernetesClient client) {
    assertRejected(client, "bundle: strict", "spec.bundle", "Unsupported value: \"strict\"");
  }

  @Test
  void schemaRejectsANegativeMaxRestartCount(KubernetesClient client) {
    assertRejected(client, "maxRestartCount: -1", "spec.maxRestartCount", "greater than or equal to 0");
  }

  @Test
  void schemaDefaultsAreApplied(KubernetesClient client) {
    GenericKubernetesResource created = client.resource(genericPolicy("defaults", "requireLivenessProbe: true")).create();

    assertThat(created.get("spec", "bundle").toString()).isEqualTo("baseline");
    assertThat(created.get("spec", "enforcementMode").toString()).isEqualTo("audit");
  }

  @Test
  void statusIsWrittenOnlyThroughTheStatusSubresource(KubernetesClient client) {
    DevOpsPolicy policy = policy("status");
    policy.setStatus(status(50, "set on create"));
    DevOpsPolicy created = client.resource(policy).create();
    assertThat(created.getStatus()).as("status given on create").isNull();

    created.setStatus(status(60, "through the main resource"));
    DevOpsPolicy updated = client.resource(created).update();
    assertThat(updated.getStatus()).as("status written through the main resource").isNull();

    updated.setStatus(status(87, "through /status"));
    updated.getSpec().setMaxRestartCount(9);
    DevOpsPolicy statusUpdated = client.resource(updated).updateStatus();

    DevOpsPolicy stored = client.resources(DevOpsPolicy.class).withName("status").get();
    assertThat(statusUpdated.getStatus().getHealthScore()).isEqualTo(87);
    assertThat(stored.getStatus().getHealthScore()).isEqualTo(87);
    assertThat(stored.getStatus().getMessage()).isEqualTo("through /status");
    assertThat(stored.getSpec().getMaxRestartCount()).as("spec written through /status").isEqualTo(3);
  }

  @Test
  void generationCountsSpecChangesOnly(KubernetesClient client) {
    DevOpsPolicy created = client.resource(policy("generation")).create();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    DevOpsPolicy statusChanged = client.resource(withStatus(created, status(70, "evaluated"))).updateStatus();
    assertThat(statusChanged.getMetadata().getGeneration()).as("after a status change").isEqualTo(1L);

    DevOpsPolicy labelled = client.resources(DevOpsPolicy.class).withName("generation")
        .edit(p -> { p.getMetadata().getLabels().put("team", "payments"); return p; });
    assertThat(labelled.getMetadata().getGeneration()).as("after a metadata change").isEqualTo(1L);

    DevOpsPolicy specChanged = client.resources(DevOpsPolicy.class).withName("generation")
        .edit(p -> { p.getSpec().setMaxRestartCount(5); return p; });
    assertThat(specChanged.getMetadata().getGeneration()).as("after a spec change").isEqualTo(2L);
  }

  @Test
  void serverSideApplyCreatesUpdatesAndDetectsConflictsBetweenManagers(KubernetesClient client) {
    DevOpsPolicy desired = policy("applied");
    DevOpsPolicy created = client.resource(desired).fieldManager(SYNC).serverSideApply();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(managers(created)).containsExactly(SYNC + "/Apply");

    desired.getSpec().setMaxRestartCount(5);
    DevOpsPolicy updated = client.resource(desired).fieldManager(SYNC).serverSideApply();
    assertThat(updated.getSpec().getMaxRestartCount()).isEqualTo(5);
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

    DevOpsPolicy rival = policy("applied");
    rival.getSpec().setEnforcementMode(EnforcementMode.ENFORCE);
    assertThatThrownBy(() -> client.resource(rival).fieldManager(ENFORCER).serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains(SYNC).contains(".spec.enforcementMode");
        });

    DevOpsPolicy forced = client.resource(rival).fieldManager(ENFORCER).forceConflicts().serverSideApply();
    assertThat(forced.getSpec().getEnforcementMode()).isEqualTo(EnforcementMode.ENFORCE);
    assertThat(managers(forced)).contains(SYNC + "/Apply", ENFORCER + "/Apply");
  }

  private static void assertRejected(KubernetesClient client, String specLine, String field, String reason) {
    assertThatThrownBy(() -> client.resource(genericPolicy("rejected", specLine)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(field).contains(reason);
        });
  }

  /** A policy as a user would write it, values unchecked by the Java model. */
  private static GenericKubernetesResource genericPolicy(String name, String specLine) {
    return Serialization.unmarshal(
        """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata:
          name: %s
        spec:
          %s
        """.formatted(name, specLine),
        GenericKubernetesResource.class);
  }

  private static DevOpsPolicy policy(String name) {
    DevOpsPolicy policy = new DevOpsPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).addToLabels("app", "kube-devops").build());
    DevOpsPolicySpec spec = new DevOpsPolicySpec();
    spec.setMaxRestartCount(3);
    policy.setSpec(spec);
    return policy;
  }

  private static DevOpsPolicyStatus status(int score, String message) {
    DevOpsPolicyStatus status = new DevOpsPolicyStatus();
    status.setHealthScore(score);
    status.setMessage(message);
    return status;
  }

  private static DevOpsPolicy withStatus(DevOpsPolicy policy, DevOpsPolicyStatus status) {
    policy.setStatus(status);
    return policy;
  }

  private static List<String> managers(DevOpsPolicy policy) {
    return policy.getMetadata().getManagedFields().stream()
        .map((ManagedFieldsEntry m) -> m.getManager() + "/" + m.getOperation())
        .toList();
  }
}
