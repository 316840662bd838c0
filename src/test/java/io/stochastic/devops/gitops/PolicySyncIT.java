package io.stochastic.devops.gitops;

import static io.stochastic.devops.testing.TestingObjects.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ApplyAction;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import io.stochastic.devops.testing.TestingObjects;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync round over real repositories (HTTP through {@code git http-backend}, and
 * {@code file://}) against the real API server: what is applied, updated, pruned and kept.
 */
@IntegrationTest
class PolicySyncIT {
  private static final PolicyLinter LINTER =
      new PolicyLinter(PolicySchema.devOpsPolicy(), TestUtils.resolver());

  private final List<GitMirror> mirrors = new ArrayList<>();
  private final List<String> extraNamespaces = new ArrayList<>();
  private KubernetesClient client;
  private String ns;
  private String other;

  @BeforeEach
  void namespaces(KubernetesClient client) {
    this.client = client;
    this.ns = client.getNamespace();
    // one policy per namespace (lint): a second namespace for a second policy
    this.other = ns.length() > 55 ? ns.substring(0, 55) + "-other" : ns + "-other";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(other)
        .endMetadata().build()).create();
    extraNamespaces.add(other);
  }

  @AfterEach
  void cleanUp() {
    mirrors.forEach(GitMirror::close);
    extraNamespaces.forEach(name -> client.namespaces().withName(name).delete());
  }

  private PolicySync sync(String url, Path dir) throws IOException {
    GitSource source = new GitSource(url, "main", "policies", GitAuth.NONE);
    GitMirror mirror = GitMirror.open(dir, source);
    mirrors.add(mirror);
    ClusterSession session = ClusterSession.over(client, "test");
    return new PolicySync(source, mirror, LINTER, session, new SyncStateStore(client, ns),
        ObjectYaml.asIs(), new EventRecorder(session, "kube-devops-sync", "test",
            Clock.systemUTC()));
  }

  private GenericKubernetesResource live(String namespace, String name) {
    return client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(namespace)
        .withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private Object bundleOf(GenericKubernetesResource policy) {
    return ((Map<String, Object>) policy.getAdditionalProperties().get("spec")).get("bundle");
  }

  private Map<String, String> files(Object... pathsAndContents) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put((String) pathsAndContents[i], (String) pathsAndContents[i + 1]);
    }
    return files;
  }

  /** Policy {@code team} in the test namespace, {@code other} in the second one. */
  private String seedTeamAndOther(TestingGitServer.Repo repo) {
    return repo.commit("seed", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline"),
        "policies/namespaces/" + other + "/policy.yaml", policy("other", "baseline")));
  }

  private static final SyncOptions PRUNE = new SyncOptions(true, false, false, SyncOptions.DEFAULT_HEAL_EVERY);

  @Test
  void aCommitIsAppliedLabelledAndAnnotatedAndAChangeUpdatesIt(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    String first = repo.commit("seed", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline"),
        "policies/bundles/custom.yaml", policy("custom", "restricted"),
        "README.md", "not a manifest"));
    PolicySync sync = sync(repo.httpUri().toString(), dir);

    SyncReport report = sync.sync(SyncOptions.APPLY_ONLY);

    assertThat(report.fullSync()).as("first sync").isTrue();
    assertThat(report.applied()).extracting(r -> r.action()).containsExactly(ApplyAction.CREATED);
    assertThat(report.problems()).anyMatch(p -> p.contains("policies/bundles/custom.yaml")
        && p.contains("names no namespace"));
    GenericKubernetesResource team = live(ns, "team");
    assertThat(team.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY,
        Labels.MANAGED_BY_SYNC);
    assertThat(team.getMetadata().getAnnotations())
        .containsEntry(Annotations.SOURCE_REVISION, first)
        .containsEntry(Annotations.SOURCE_PATH, "policies/namespaces/" + ns + "/policy.yaml");
    assertThat(team.getMetadata().getManagedFields()).extracting(f -> f.getManager())
        .contains(FieldManagers.SYNC);
    SyncState state = new SyncStateStore(client, ns).load();
    assertThat(state.lastAppliedRevision()).isEqualTo(first);
    assertThat(state.inventory()).singleElement().satisfies(entry -> {
      assertThat(entry.key()).isEqualTo("DevOpsPolicy/" + ns + "/team");
      assertThat(entry.uid()).isEqualTo(team.getMetadata().getUid());
    });

    assertThat(sync.sync(SyncOptions.APPLY_ONLY).upToDate()).isTrue();

    String second = repo.commit("stricter", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "restricted")));
    SyncReport update = sync.sync(SyncOptions.APPLY_ONLY);
    assertThat(update.fullSync()).isFalse();
    assertThat(update.applied()).extracting(r -> r.action())
        .containsExactly(ApplyAction.CONFIGURED);
    GenericKubernetesResource updated = live(ns, "team");
    assertThat(bundleOf(updated)).isEqualTo("restricted");
    assertThat(updated.getMetadata().getUid()).isEqualTo(team.getMetadata().getUid());
    assertThat(updated.getMetadata().getAnnotations())
        .containsEntry(Annotations.SOURCE_REVISION, second);
  }

  @Test
  void aDeletedFileIsPrunedOnlyWithPrune(TestingGitServer git, @TempDir Path dir)
      throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    seedTeamAndOther(repo);
    PolicySync sync = sync(repo.fileUri().toString(), dir);
    sync.sync(SyncOptions.APPLY_ONLY);

    repo.commit("drop other", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));
    SyncReport kept = sync.sync(SyncOptions.APPLY_ONLY);
    assertThat(kept.pruned()).isEmpty();
    assertThat(kept.notPruned()).singleElement().asString().contains("--prune deletes it");
    assertThat(live(other, "other")).isNotNull();

    SyncReport pruned = sync.sync(PRUNE);
    assertThat(pruned.upToDate()).as("the head is applied; the prune still runs").isTrue();
    assertThat(pruned.pruned()).containsExactly("DevOpsPolicy/" + other + "/other");
    assertThat(live(other, "other")).isNull();
    assertThat(live(ns, "team")).isNotNull();
    assertThat(new SyncStateStore(client, ns).load().inventory()).extracting(e -> e.name())
        .containsExactly("team");
  }

  @Test
  void aRenamedFileKeepsItsObject(TestingGitServer git, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files("policies/namespaces/" + ns + "/policy.yaml",
        policy("team", "baseline")));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    sync.sync(PRUNE);
    String uid = live(ns, "team").getMetadata().getUid();

    repo.commit("rename", files("policies/namespaces/" + ns + "/team.yaml",
        policy("team", "baseline")));
    SyncReport report = sync.sync(PRUNE);

    assertThat(report.pruned()).isEmpty();
    GenericKubernetesResource team = live(ns, "team");
    assertThat(team.getMetadata().getUid()).as("not deleted and created again").isEqualTo(uid);
    assertThat(team.getMetadata().getAnnotations()).containsEntry(Annotations.SOURCE_PATH,
        "policies/namespaces/" + ns + "/team.yaml");
  }

  @Test
  void anInvalidFileIsSkippedTheOthersApplyAndItsObjectIsNotPruned(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files("policies/namespaces/" + other + "/policy.yaml",
        policy("other", "baseline")));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    sync.sync(PRUNE);

    repo.commit("one broken, one new", files(
        "policies/namespaces/" + other + "/policy.yaml", policy("other", "no-such-bundle"),
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));
    SyncReport report = sync.sync(PRUNE);

    assertThat(report.invalidFiles())
        .containsExactly("policies/namespaces/" + other + "/policy.yaml");
    assertThat(report.problems()).anyMatch(p -> p.contains("no-such-bundle"));
    assertThat(report.applied()).extracting(r -> r.name()).containsExactly("team");
    assertThat(report.pruned()).isEmpty();
    assertThat(report.notPruned()).singleElement().asString().contains("fails lint");
    assertThat(bundleOf(live(other, "other"))).as("the broken version is not applied")
        .isEqualTo("baseline");
    assertThat(new SyncStateStore(client, ns).load().invalidFiles())
        .containsExactly("policies/namespaces/" + other + "/policy.yaml");
  }

  @Test
  void anEmptyTreePrunesNothingWithoutAllowEmpty(TestingGitServer git, @TempDir Path dir)
      throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files("policies/namespaces/" + ns + "/policy.yaml",
        policy("team", "baseline")));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    sync.sync(PRUNE);

    repo.commit("moved away", files("elsewhere/policy.yaml", policy("team", "baseline")));
    SyncReport refused = sync.sync(PRUNE);
    assertThat(refused.pruned()).isEmpty();
    assertThat(refused.notPruned()).singleElement().asString().contains("--allow-empty");
    assertThat(live(ns, "team")).isNotNull();

    SyncReport allowed = sync.sync(new SyncOptions(true, false, true, SyncOptions.DEFAULT_HEAL_EVERY));
    assertThat(allowed.pruned()).containsExactly("DevOpsPolicy/" + ns + "/team");
    assertThat(live(ns, "team")).isNull();
  }

  @Test
  void pruneKeepsAnnotatedObjectsAndNeverDeletesOneWithoutTheLabel(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline"),
        "policies/namespaces/" + other + "/policy.yaml", policy("other", "baseline"),
        "policies/keep.yaml", "# placeholder so the tree never becomes empty\n"));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    sync.sync(PRUNE);
    client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(ns)
        .withName("team").edit(p -> {
          p.getMetadata().getAnnotations().put(Annotations.PRUNE, "disabled");
          return p;
        });
    client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(other)
        .withName("other").edit(p -> {
          p.getMetadata().getLabels().remove(Labels.MANAGED_BY);
          return p;
        });

    // the tree still defines a policy (another one in ns), so the empty-tree rule stays out
    repo.commit("drop both", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team-next", "baseline")));
    SyncReport report = sync.sync(PRUNE);

    assertThat(report.pruned()).isEmpty();
    assertThat(report.notPruned()).anyMatch(line -> line.contains("/team")
        && line.contains("prune: disabled"));
    assertThat(report.notPruned()).anyMatch(line -> line.contains("/other")
        && line.contains("label"));
    assertThat(live(ns, "team")).isNotNull();
    assertThat(live(other, "other")).isNotNull();
    assertThat(new SyncStateStore(client, ns).load().inventory()).extracting(e -> e.name())
        .as("the unlabelled object is let go for good").doesNotContain("other")
        .contains("team");
  }

  @Test
  void aRestartResumesFromTheStoredState(TestingGitServer git, @TempDir Path dir)
      throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    seedTeamAndOther(repo);
    sync(repo.httpUri().toString(), dir.resolve("first")).sync(PRUNE);

    String head = repo.commit("drop other", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));
    // a new process on an empty volume: only the ConfigMap remembers what was applied
    SyncReport report = sync(repo.httpUri().toString(), dir.resolve("second")).sync(PRUNE);

    assertThat(report.fullSync()).as("the fresh copy's fetch brings the stored last applied"
        + " commit back, so the round diffs from it").isFalse();
    assertThat(report.pruned()).containsExactly("DevOpsPolicy/" + other + "/other");
    assertThat(new SyncStateStore(client, ns).load().lastAppliedRevision()).isEqualTo(head);
  }

  @Test
  void aForcePushThatRemovesTheLastAppliedCommitFallsBackToAFullSync(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files("policies/namespaces/" + ns + "/policy.yaml",
        policy("team", "baseline")));
    repo.commit("add other", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline"),
        "policies/namespaces/" + other + "/policy.yaml", policy("other", "baseline")));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    sync.sync(PRUNE);
    // hand edit, so that a full sync (every file) shows where a diff-based one would not
    client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(ns)
        .withName("team").edit(p -> {
          p.getAdditionalProperties().put("spec", Map.of("bundle", "permissive"));
          return p;
        });

    String rewritten = repo.amend("add other, rewritten", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));
    SyncReport report = sync.sync(PRUNE);

    assertThat(report.revision()).isEqualTo(rewritten);
    assertThat(report.fullSync()).isTrue();
    assertThat(report.pruned()).containsExactly("DevOpsPolicy/" + other + "/other");
    assertThat(bundleOf(live(ns, "team"))).isEqualTo("baseline");
  }

  @Test
  void aGitServerThatIsDownPrunesNothingAndRecordsTheError(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files("policies/namespaces/" + ns + "/policy.yaml",
        policy("team", "baseline")));
    sync(repo.httpUri().toString(), dir).sync(PRUNE);

    // the same local copy, but the server no longer answers
    PolicySync down = sync("http://127.0.0.1:1/policies.git", dir);
    assertThatThrownBy(() -> down.sync(new SyncOptions(true, false, true, SyncOptions.DEFAULT_HEAL_EVERY)))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("http://127.0.0.1:1/policies.git@main:policies: cannot fetch");

    assertThat(live(ns, "team")).isNotNull();
    SyncState state = new SyncStateStore(client, ns).load();
    assertThat(state.lastError()).contains("cannot fetch");
    assertThat(state.inventory()).hasSize(1);
  }

  /** Self-heal on every second round: the first round is a full sync, the third heals. */
  private static final SyncOptions HEAL_EVERY_2 = new SyncOptions(true, false, false, 2);

  private List<Event> events(String namespace, String name, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())
            && reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void aHandEditAndAHandDeleteAreHealedOnAHealRoundWithAWarningEventAndNoChurn(
      TestingGitServer git, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));
    String second = repo.commit("add other", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline"),
        "policies/namespaces/" + other + "/policy.yaml", policy("other", "baseline")));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    assertThat(sync.sync(HEAL_EVERY_2).fullSync()).isTrue();
    String otherUid = live(other, "other").getMetadata().getUid();
    client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(ns)
        .withName("team").edit(p -> {
          p.getAdditionalProperties().put("spec", Map.of("bundle", "permissive"));
          return p;
        });
    String editedVersion = live(ns, "team").getMetadata().getResourceVersion();

    SyncReport between = sync.sync(HEAL_EVERY_2);
    assertThat(between.healed()).as("not a heal round").isEmpty();
    assertThat(bundleOf(live(ns, "team"))).isEqualTo("permissive");

    client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(other)
        .withName("other").delete();
    await().until(() -> live(other, "other") == null);
    SyncReport heal = sync.sync(HEAL_EVERY_2);

    assertThat(heal.applied()).as("no file changed").isEmpty();
    assertThat(heal.healed()).extracting(r -> r.name() + " " + r.action().id())
        .containsExactlyInAnyOrder("team configured", "other created");
    GenericKubernetesResource team = live(ns, "team");
    assertThat(bundleOf(team)).isEqualTo("baseline");
    assertThat(team.getMetadata().getResourceVersion()).isNotEqualTo(editedVersion);
    assertThat(team.getMetadata().getAnnotations())
        .as("a heal keeps the revision the object was applied from")
        .containsEntry(Annotations.SOURCE_REVISION, second);
    GenericKubernetesResource recreated = live(other, "other");
    assertThat(recreated.getMetadata().getUid()).isNotEqualTo(otherUid);
    assertThat(new SyncStateStore(client, ns).load().inventory())
        .filteredOn(e -> e.name().equals("other")).singleElement()
        .satisfies(e -> assertThat(e.uid()).as("the inventory follows the recreated object")
            .isEqualTo(recreated.getMetadata().getUid()));
    assertThat(events(ns, "team", "DriftCorrected")).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).startsWith("changed outside Git; re-applied from policies/"
          + "namespaces/" + ns + "/policy.yaml at " + second.substring(0, 12));
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(team.getMetadata().getUid());
      assertThat(e.getSource().getComponent()).isEqualTo("kube-devops-sync");
    });
    assertThat(events(other, "other", "DriftCorrected")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).startsWith("deleted outside Git; recreated"));

    // nothing drifted since: the next heal round writes nothing at all
    sync.sync(HEAL_EVERY_2);
    String healedVersion = live(ns, "team").getMetadata().getResourceVersion();
    SyncReport quiet = sync.sync(HEAL_EVERY_2);
    assertThat(quiet.healed()).isEmpty();
    assertThat(quiet.upToDate()).isTrue();
    assertThat(live(ns, "team").getMetadata().getResourceVersion()).isEqualTo(healedVersion);
    assertThat(events(ns, "team", "DriftCorrected")).hasSize(1);
  }

  @Test
  void aHealAfterACommitDoesNotRewriteTheUnchangedObjects(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    String first = seedTeamAndOther(repo);
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    sync.sync(HEAL_EVERY_2);
    String otherVersion = live(other, "other").getMetadata().getResourceVersion();

    String second = repo.commit("stricter team", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "restricted"),
        "policies/namespaces/" + other + "/policy.yaml", policy("other", "baseline")));
    sync.sync(HEAL_EVERY_2);
    SyncReport heal = sync.sync(HEAL_EVERY_2);

    assertThat(heal.healed()).isEmpty();
    assertThat(live(ns, "team").getMetadata().getAnnotations())
        .containsEntry(Annotations.SOURCE_REVISION, second);
    GenericKubernetesResource untouched = live(other, "other");
    assertThat(untouched.getMetadata().getAnnotations())
        .containsEntry(Annotations.SOURCE_REVISION, first);
    assertThat(untouched.getMetadata().getResourceVersion()).isEqualTo(otherVersion);
    assertThat(events(ns, "team", "Synced")).extracting(e -> e.getMessage())
        .anyMatch(m -> m.startsWith("configured from policies/namespaces/" + ns));
  }

  @Test
  void theCrdsOfTheTreeApplyBeforeThePoliciesAndAreNeverPruned(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    String plural = "synctests" + Long.toHexString(System.nanoTime());
    String crdName = plural + ".example.com";
    String crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: %s, singular: %s, kind: SyncTest%s}
          versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object}}
        """.formatted(crdName, plural, plural, Long.toHexString(System.nanoTime()));
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline"),
        "policies/crds/synctest.yaml", crd));
    PolicySync sync = sync(repo.httpUri().toString(), dir);
    try {
      SyncReport report = sync.sync(PRUNE);

      assertThat(report.applied()).extracting(r -> r.name())
          .as("the CRD first").containsExactly(crdName, "team");
      assertThat(report.failed()).isEmpty();
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crdName)
          .get().getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
      assertThat(new SyncStateStore(client, ns).load().inventory()).extracting(e -> e.key())
          .contains("CustomResourceDefinition/null/" + crdName);

      repo.commit("drop the CRD", files(
          "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));
      SyncReport dropped = sync.sync(PRUNE);
      assertThat(dropped.pruned()).isEmpty();
      assertThat(dropped.notPruned()).singleElement().asString()
          .contains("CRDs are never pruned");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crdName)
          .get()).isNotNull();
      assertThat(new SyncStateStore(client, ns).load().inventory()).extracting(e -> e.key())
          .as("released").doesNotContain("CustomResourceDefinition/null/" + crdName);
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName(crdName).delete();
    }
  }

  @Test
  void aReplicaThatLosesTheLeadMidRoundNeitherPrunesNorStoresState(TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    String first = seedTeamAndOther(repo);
    PolicySync sync = sync(repo.fileUri().toString(), dir);
    sync.sync(PRUNE);
    repo.commit("drop other", files(
        "policies/namespaces/" + ns + "/policy.yaml", policy("team", "baseline")));

    // leads when the round starts applying, no longer when it comes to pruning
    AtomicInteger asked = new AtomicInteger();
    SyncReport report = sync.sync(PRUNE, () -> asked.getAndIncrement() == 0);

    assertThat(report.pruned()).isEmpty();
    assertThat(report.notPruned()).singleElement().asString().contains("lost the lead");
    assertThat(live(other, "other")).isNotNull();
    assertThat(new SyncStateStore(client, ns).load().lastAppliedRevision())
        .as("the new leader's state is not overwritten").isEqualTo(first);

    SyncReport notLeading = sync.sync(PRUNE, () -> false);
    assertThat(notLeading.applied()).isEmpty();
    assertThat(notLeading.pruned()).isEmpty();
  }
}
