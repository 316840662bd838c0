package io.stochastic.devops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --vap} against the real API server: the ValidatingAdmissionPolicies and bindings
 * of a policy's exportable checks are applied beside it, enforce, and are pruned when a check is
 * turned off, when the sync runs without {@code --vap}, and when the policy leaves Git.
 */
@IntegrationTest
class PolicySyncVapIT {
  private static final PolicyLinter LINTER =
      new PolicyLinter(PolicySchema.devOpsPolicy(), TestUtils.resolver());
  private static final SyncOptions PRUNE = new SyncOptions(true, false, false, 1);
  private static final SyncOptions PRUNE_EMPTY = new SyncOptions(true, false, true, 1);

  private KubernetesClient client;
  private String ns;
  private GitMirror mirror;

  @BeforeEach
  void setUp(KubernetesClient client) {
    this.client = client;
    this.ns = client.getNamespace();
  }

  @AfterEach
  void cleanUp() {
    if (mirror != null) {
      mirror.close();
    }
    // cluster-scoped: the test namespace's deletion does not remove them
    for (var resource : List.of(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING,
        ApiResources.VALIDATING_ADMISSION_POLICY)) {
      objects(resource).forEach(o -> client.genericKubernetesResources(resource)
          .withName(o.getMetadata().getName()).delete());
    }
  }

  private PolicySync sync(String url, Path dir, boolean vap) throws Exception {
    GitSource source = new GitSource(url, "main", "policies", GitAuth.NONE);
    if (mirror != null) {
      mirror.close();
    }
    mirror = GitMirror.open(dir, source);
    return new PolicySync(source, mirror, LINTER, ClusterSession.over(client, "test"),
        new SyncStateStore(client, ns), ObjectYaml.asIs(), null,
        vap ? new VapTranslation(TestUtils.resolver(),
            new VapExporter(TestUtils.catalog().environment(), List.of())) : null);
  }

  /** The exported objects of this test's policy, by name. */
  private List<GenericKubernetesResource> objects(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext resource) {
    return client.genericKubernetesResources(resource).list().getItems().stream()
        .filter(o -> o.getMetadata().getName().startsWith(prefix()))
        .toList();
  }

  private String prefix() {
    return "kube-devops-" + ns + "-team-";
  }

  private List<String> names(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext resource) {
    return objects(resource).stream().map(o -> o.getMetadata().getName()).sorted().toList();
  }

  private static String policy(String overrides) {
    return """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata:
          name: team
        spec:
          bundle: pss-baseline
        """ + overrides;
  }

  private HasMetadata privilegedDeployment() {
    return client.getKubernetesSerialization().unmarshal("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: privileged}
        spec:
          replicas: 1
          selector: {matchLabels: {app: privileged}}
          template:
            metadata: {labels: {app: privileged}}
            spec:
              containers:
              - name: app
                image: "redis:7.4"
                securityContext: {privileged: true}
        """, HasMetadata.class);
  }

  @Test
  void exportedPoliciesAreAppliedEnforcedAndPrunedWithTheirPolicy(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    String file = "policies/namespaces/" + ns + "/policy.yaml";
    String first = repo.commit("seed", Map.of(file, policy("")));
    String url = repo.fileUri().toString();
    PolicySync sync = sync(url, dir.resolve("vap"), true);

    SyncReport report = sync.sync(PRUNE);

    assertThat(report.failed()).isEmpty();
    String privileged = prefix() + "run-as-privileged";
    String hostPid = prefix() + "host-pid-set";
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY)).contains(privileged, hostPid);
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING))
        .isEqualTo(names(ApiResources.VALIDATING_ADMISSION_POLICY));
    GenericKubernetesResource vap = client.genericKubernetesResources(
        ApiResources.VALIDATING_ADMISSION_POLICY).withName(privileged).get();
    assertThat(vap.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC)
        .containsEntry(VapExporter.CHECK_LABEL, "runAsPrivileged");
    assertThat(vap.getMetadata().getAnnotations())
        .containsEntry(Annotations.SOURCE_PATH, file)
        .containsEntry(Annotations.SOURCE_REVISION, first);
    assertThat(vap.getMetadata().getManagedFields()).extracting(f -> f.getManager())
        .contains(FieldManagers.SYNC);
    assertThat(new SyncStateStore(client, ns).load().inventory())
        .extracting(SyncState.InventoryEntry::key)
        .contains("DevOpsPolicy/" + ns + "/team",
            "ValidatingAdmissionPolicy/null/" + privileged,
            "ValidatingAdmissionPolicyBinding/null/" + privileged);

    // the API server enforces them once its policy cache has them (about a second)
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThatThrownBy(() -> client.resource(privilegedDeployment()).inNamespace(ns)
            .dryRun().create())
            .isInstanceOf(KubernetesClientException.class)
            .hasMessageContaining(privileged));

    SyncReport idle = sync.sync(PRUNE);
    assertThat(idle.applied()).as("an idle poll applies nothing").isEmpty();
    assertThat(idle.healed()).isEmpty();

    // a binding deleted by hand is recreated by the next self-heal (every round here)
    client.genericKubernetesResources(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)
        .withName(hostPid).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.genericKubernetesResources(
        ApiResources.VALIDATING_ADMISSION_POLICY_BINDING).withName(hostPid).get() == null);
    SyncReport healed = sync.sync(PRUNE);
    assertThat(healed.healed()).extracting(r -> r.name()).containsExactly(hostPid);
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)).contains(hostPid);

    repo.commit("privileged off", Map.of(file, policy("""
          severityOverrides:
            runAsPrivileged: "off"
        """)));
    SyncReport off = sync.sync(PRUNE);
    assertThat(off.failed()).isEmpty();
    assertThat(off.pruned()).containsExactlyInAnyOrder(
        "ValidatingAdmissionPolicy/null/" + privileged,
        "ValidatingAdmissionPolicyBinding/null/" + privileged);
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY)).doesNotContain(privileged)
        .contains(hostPid);
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING))
        .doesNotContain(privileged).contains(hostPid);

    // without --vap the sync no longer manages them: --prune deletes those it applied
    SyncReport without = sync(url, dir.resolve("plain"), false).sync(PRUNE);
    assertThat(without.pruned()).contains("ValidatingAdmissionPolicy/null/" + hostPid)
        .noneMatch(key -> key.startsWith("DevOpsPolicy/"));
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY)).isEmpty();
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)).isEmpty();

    // --vap again on an applied head: the objects never applied are applied
    sync = sync(url, dir.resolve("again"), true);
    SyncReport again = sync.sync(PRUNE);
    assertThat(again.applied()).extracting(r -> r.name()).contains(hostPid);
    assertThat(again.upToDate()).as("it applied something: the CLI and the log say so").isFalse();
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY)).contains(hostPid);

    repo.commit("drop the policy", Map.of("README.md", "no policies left\n"));
    SyncReport dropped = sync.sync(PRUNE_EMPTY);
    assertThat(dropped.pruned()).contains("DevOpsPolicy/" + ns + "/team",
        "ValidatingAdmissionPolicy/null/" + hostPid,
        "ValidatingAdmissionPolicyBinding/null/" + hostPid);
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY)).isEmpty();
    assertThat(names(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)).isEmpty();
    assertThat(new SyncStateStore(client, ns).load().inventory()).isEmpty();
  }
}
