package io.stochastic.devops.auditor;

import static io.stochastic.devops.auditor.AuditFixtures.AUDIT_TIME;
import static io.stochastic.devops.auditor.AuditFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.auditor.PolicyAuditResultWriter.Limits;
import io.stochastic.devops.auditor.PolicyAuditResultWriter.Outcome;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.PolicyAuditResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PolicyAuditResults written to a real API server: the stored object, the cap, history pruning,
 * ownership, idempotent retries and a refused write.
 *
 * <p>The harness has no controller manager, so that deleting the policy garbage-collects its
 * results is not shown here, only that the owner reference the garbage collector follows is
 * there.
 */
@IntegrationTest
class PolicyAuditResultWriterIT {
  private final List<Duration> slept = new ArrayList<>();
  private final WriteRetry retry = WriteRetry.defaults().withSleeper(slept::add);

  @Test
  void writesOneResultWithTheContractFields(KubernetesClient client) {
    DevOpsPolicy policy = createPolicy(client, "payments");
    String ns = client.getNamespace();

    Outcome outcome = writer(client, Limits.DEFAULT).write(policy, sample(ns), "prod-eu",
        AUDIT_TIME);

    List<PolicyAuditResult> stored = client.resources(PolicyAuditResult.class).list().getItems();
    assertThat(stored).hasSize(1);
    PolicyAuditResult result = stored.get(0);
    assertThat(result.getMetadata().getName()).isEqualTo("payments-20261122-100000")
        .isEqualTo(outcome.written().getMetadata().getName());
    assertThat(outcome.pruned()).isEmpty();
    assertThat(result.getMetadata().getLabels())
        .containsExactly(Map.entry("devops.stochastic.io/policy", "payments"));
    assertThat(result.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getApiVersion()).isEqualTo("devops.stochastic.io/v1");
      assertThat(owner.getKind()).isEqualTo("DevOpsPolicy");
      assertThat(owner.getName()).isEqualTo("payments");
      assertThat(owner.getUid()).isEqualTo(policy.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(owner.getBlockOwnerDeletion()).isFalse();
    });
    assertThat(result.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
        .containsExactly("kube-devops-auditor");

    // The spec as the server stores it, read back as plain data (not through our model).
    GenericKubernetesResource raw = client.genericKubernetesResources(
        "devops.stochastic.io/v1", "PolicyAuditResult").withName(result.getMetadata().getName())
        .get();
    assertThat(raw.<Object>get("spec")).isEqualTo(Serialization.unmarshal("""
        policyRef: {name: payments, generation: %d}
        cluster: prod-eu
        auditTime: "2026-11-22T10:00:00Z"
        score: 15
        classification: Critical
        summary:
          workloads: 3
          passed: 2
          failed: 3
          bySeverity: {critical: 1, high: 1, medium: 1, low: 0}
        findings:
          - {kind: Deployment, namespace: %s, name: web, container: nginx,
             check: runAsRootAllowed, severity: critical,
             message: Container nginx may run as root}
          - {kind: Deployment, namespace: %s, name: api, container: app,
             check: tagNotSpecified, severity: high, message: "Image app:latest has no tag"}
          - {kind: Deployment, namespace: %s, name: web, container: nginx,
             check: livenessProbeMissing, severity: medium,
             message: Container nginx has no liveness probe}
        truncated: false
        """.formatted(policy.getMetadata().getGeneration(), ns, ns, ns), Map.class));
    assertThat(slept).isEmpty();
  }

  @Test
  void theCapSetsTruncated(KubernetesClient client) {
    DevOpsPolicy policy = createPolicy(client, "capped");

    writer(client, Limits.DEFAULT.withMaxFindings(1)).write(policy,
        sample(client.getNamespace()), "prod-eu", AUDIT_TIME);

    PolicyAuditResult stored = client.resources(PolicyAuditResult.class)
        .withName("capped-20261122-100000").get();
    assertThat(stored.getSpec().getFindings()).singleElement()
        .satisfies(f -> assertThat(f.getCheck()).isEqualTo("runAsRootAllowed"));
    assertThat(stored.getSpec().getTruncated()).isTrue();
    assertThat(stored.getSpec().getSummary().getFailed()).isEqualTo(3);
  }

  @Test
  void historyKeepsTheNewestResultsOfThePolicyOnly(KubernetesClient client) {
    DevOpsPolicy shop = createPolicy(client, "shop");
    String ns = client.getNamespace();
    // Results of another policy in the same namespace. It must exist, or the garbage collector
    // deletes its results; it is deleted at the end (a second DevOpsPolicy in a namespace is a
    // lint error for the tests that export every namespace of this shared server).
    DevOpsPolicy other = createPolicy(client, "other");
    try {
    PolicyAuditResultWriter writer = writer(client, Limits.DEFAULT.withHistory(3));
    writer.write(other, sample(ns), "prod-eu", at(1));
    writer.write(other, sample(ns), "prod-eu", at(2));
    // Same label, another policyRef: what two long policy names sharing a label value look like.
    client.resource(Serialization.unmarshal("""
        apiVersion: devops.stochastic.io/v1
        kind: PolicyAuditResult
        metadata:
          name: impostor
          labels: {devops.stochastic.io/policy: shop}
        spec:
          policyRef: {name: shop-with-a-much-longer-name}
          auditTime: "2026-11-22T09:00:00Z"
          score: 100
          classification: Healthy
          summary: {workloads: 0, passed: 0, failed: 0}
        """, GenericKubernetesResource.class)).create();

    // Written out of time order: history goes by auditTime, not by when a result was written.
    List<List<String>> pruned = new ArrayList<>();
    for (int minute : new int[] {2, 1, 5, 4, 3}) {
      pruned.add(writer.write(shop, sample(ns), "prod-eu", at(minute)).pruned());
    }

    assertThat(names(client)).containsExactlyInAnyOrder(
        "shop-20261122-100300", "shop-20261122-100400", "shop-20261122-100500",
        "other-20261122-100100", "other-20261122-100200", "impostor");
    // The result just written always stays, with the newest others up to the history of 3.
    assertThat(pruned).containsExactly(List.of(), List.of(), List.of(),
        List.of("shop-20261122-100100"), List.of("shop-20261122-100200"));
    } finally {
      client.resource(other).delete();
    }
  }

  @Test
  void aResultWrittenTwiceForTheSameAuditIsStoredOnce(KubernetesClient client) {
    DevOpsPolicy policy = createPolicy(client, "twice");
    PolicyAuditResultWriter writer = writer(client, Limits.DEFAULT);

    Outcome first = writer.write(policy, sample(client.getNamespace()), "prod-eu", AUDIT_TIME);
    // What a create retried after its answer was lost does.
    Outcome again = writer.write(policy, sample(client.getNamespace()), "prod-eu", AUDIT_TIME);

    assertThat(again.written().getMetadata().getUid())
        .isEqualTo(first.written().getMetadata().getUid());
    assertThat(names(client)).containsExactly("twice-20261122-100000");
  }

  @Test
  void anotherResultOfTheSameNameIsKeptAndTheNewOneGetsASuffix(KubernetesClient client) {
    DevOpsPolicy policy = createPolicy(client, "reborn");
    PolicyAuditResultWriter writer = writer(client, Limits.DEFAULT);
    // A result of that name that is not this policy's (restored from a backup, or left by the
    // policy's previous incarnation before the garbage collector got to it).
    client.resource(Serialization.unmarshal("""
        apiVersion: devops.stochastic.io/v1
        kind: PolicyAuditResult
        metadata:
          name: reborn-20261122-100000
          labels: {devops.stochastic.io/policy: reborn}
        spec:
          policyRef: {name: reborn, generation: 1}
          auditTime: "2026-11-22T10:00:00Z"
          score: 100
          classification: Healthy
          summary: {workloads: 0, passed: 0, failed: 0}
        """, GenericKubernetesResource.class)).create();

    Outcome outcome = writer.write(policy, sample(client.getNamespace()), "prod-eu", AUDIT_TIME);

    assertThat(outcome.written().getMetadata().getName()).startsWith("reborn-20261122-100000-")
        .hasSize("reborn-20261122-100000-".length() + 5);
    assertThat(outcome.written().getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid).containsExactly(policy.getMetadata().getUid());
    assertThat(names(client)).hasSize(2).contains("reborn-20261122-100000");
  }

  @Test
  void aForbiddenWriteFailsAtOnceWithOneLineNamingTheObject(TestingNamespace namespace) {
    DevOpsPolicy policy = createPolicy(namespace.client(), "guarded");
    KubernetesClient mallory = namespace.clientAs("mallory");

    assertThatThrownBy(() -> writer(mallory, Limits.DEFAULT).write(policy,
        sample(namespace.name()), "prod-eu", AUDIT_TIME))
        .isInstanceOfSatisfying(ClusterRequestException.class, e -> {
          assertThat(e.code()).isEqualTo(403);
          assertThat(e.getMessage())
              .startsWith("writing PolicyAuditResult " + namespace.name()
                  + "/guarded-20261122-100000: ")
              .contains("User \"mallory\" cannot create resource \"policyauditresults\"")
              .endsWith("(403)")
              .doesNotContain("\n", "Exception", "io.fabric8", "at ");
        });
    assertThat(slept).as("a refusal is not retried").isEmpty();
    assertThat(names(namespace.client())).isEmpty();
  }

  @Test
  void anInvalidResultFailsWithOneLineNamingTheObjectAndTheField(KubernetesClient client) {
    DevOpsPolicy policy = createPolicy(client, "invalid");

    assertThatThrownBy(() -> writer(client, Limits.DEFAULT).write(policy,
        sample(client.getNamespace()), "c".repeat(300), AUDIT_TIME))
        .isInstanceOfSatisfying(ClusterRequestException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage())
              .startsWith("writing PolicyAuditResult " + client.getNamespace()
                  + "/invalid-20261122-100000: ")
              .contains("spec.cluster")
              .doesNotContain("\n");
        });
  }

  @Test
  void aMissingNamespaceFailsWithOneLineNamingTheObject(KubernetesClient client) {
    DevOpsPolicy policy = AuditFixtures.policy("no-such-namespace", "p", "uid-p", 1);

    assertThatThrownBy(() -> writer(client, Limits.DEFAULT).write(policy,
        AuditFixtures.audit(), "prod-eu", AUDIT_TIME))
        .isInstanceOfSatisfying(ClusterRequestException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("writing PolicyAuditResult"
              + " no-such-namespace/p-20261122-100000: namespaces \"no-such-namespace\" not found"
              + " (404)");
        });
  }

  /** The namespace stays Terminating (no controller manager): leave no policy for -A tests. */
  @AfterEach
  void deletePolicies(KubernetesClient client) {
    client.resources(DevOpsPolicy.class).delete();
  }

  private PolicyAuditResultWriter writer(KubernetesClient client, Limits limits) {
    return new PolicyAuditResultWriter(client, limits, retry);
  }

  private static DevOpsPolicy createPolicy(KubernetesClient client, String name) {
    return client.resource(TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: %s}
        spec: {bundle: baseline}
        """.formatted(name))).create();
  }

  private static Instant at(int minute) {
    return Instant.parse("2026-11-22T10:00:00Z").plus(Duration.ofMinutes(minute));
  }

  private static List<String> names(KubernetesClient client) {
    return client.resources(PolicyAuditResult.class).list().getItems().stream()
        .map(r -> r.getMetadata().getName()).toList();
  }
}
