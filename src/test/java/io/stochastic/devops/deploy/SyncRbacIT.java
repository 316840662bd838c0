package io.stochastic.devops.deploy;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stochastic.devops.TestUtils.CliRun;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.LeaderElection;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingGitServer;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RBAC of {@code deploy/sync/sync-rbac.yaml} is enough for the sync and no more: a real sync
 * runs as the ServiceAccount (a kubeconfig with a token from the TokenRequest API, what the pod
 * presents) against the real API server and Git — first round applies, second round prunes a
 * policy the branch dropped, the Lease is taken, renewed and released — with exactly the file's rules;
 * with any one verb of them taken away, some step of that run fails; and what the sync never
 * does is refused.
 *
 * <p>The account, Role and RoleBinding live in the test's namespace instead of {@code
 * kube-devops} (which the shared test server must not keep, see {@link ManifestsDryRunIT}); the
 * ClusterRole and ClusterRoleBinding get a name unique to the test and are deleted after it.
 * Their rules, role references and subjects are the file's.
 */
@IntegrationTest
class SyncRbacIT {
  private static final String STATE = "kube-devops-sync-state";
  private static final String LEASE = "kube-devops-sync";
  private static final Duration LEADERSHIP = Duration.ofSeconds(6);

  private TestingNamespace ns;
  private KubernetesClient admin;
  private KubernetesClient sync;
  private Path kubeconfig;
  private Role role;
  private ClusterRole clusterRole;
  private String clusterName;

  private static String policy(String name) {
    return TestingObjects.policy(name, "baseline");
  }

  @BeforeEach
  void installTheFilesRbacForTheSyncsAccount(TestingNamespace namespace, @TempDir Path dir) throws Exception {
    ns = namespace;
    admin = namespace.client();
    clusterName = "kube-devops-sync-" + namespace.name();
    for (HasMetadata object : ManifestDirectory.read(SyncManifests.RBAC)) {
      if (object instanceof Role r) {
        role = r;
      } else if (object instanceof ClusterRole r) {
        clusterRole = r;
      }
    }
    role.getMetadata().setNamespace(namespace.name());
    clusterRole.getMetadata().setName(clusterName);
    for (HasMetadata object : ManifestDirectory.read(SyncManifests.RBAC)) {
      if (object instanceof RoleBinding binding) {
        binding.getMetadata().setNamespace(namespace.name());
        binding.getSubjects().forEach(s -> s.setNamespace(namespace.name()));
        admin.resource(binding).create();
      } else if (object instanceof ClusterRoleBinding binding) {
        binding.getMetadata().setName(clusterName);
        binding.getRoleRef().setName(clusterName);
        binding.getSubjects().forEach(s -> s.setNamespace(namespace.name()));
        admin.resource(binding).create();
      }
    }
    grant(role.getRules(), clusterRole.getRules());

    // The account as the file names it, with a real token, as the pod would present it.
    kubeconfig = TestingObjects.serviceAccountKubeconfig(namespace, SyncManifests.SERVICE_ACCOUNT,
        dir.resolve("sync-kubeconfig"));
    sync = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    // The authorizer sees new rules through its informers: wait until these count.
    await().atMost(Duration.ofSeconds(10)).until(() -> allowed("patch", "devops.stochastic.io", "devopspolicies", null));
  }

  @AfterEach
  void removeTheClusterWideObjects() {
    if (sync != null) {
      sync.close();
    }
    deleteVaps();
    admin.rbac().clusterRoleBindings().withName(clusterName).delete();
    admin.rbac().clusterRoles().withName(clusterName).delete();
  }

  /** Replaces the rules of the test's Role and ClusterRole (the bindings stay). */
  private void grant(List<PolicyRule> roleRules, List<PolicyRule> clusterRules) {
    role.setRules(roleRules);
    clusterRole.setRules(clusterRules);
    admin.resource(role).fieldManager(TestingApiServer.FIELD_MANAGER).forceConflicts().serverSideApply();
    admin.resource(clusterRole).fieldManager(TestingApiServer.FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Asks the API server, as the sync's account, whether it may do this. */
  private boolean allowed(String verb, String group, String resource, String name) {
    var review = new SelfSubjectAccessReviewBuilder().withNewSpec()
        .withResourceAttributes(new ResourceAttributesBuilder().withVerb(verb).withGroup(group)
            .withResource(resource).withName(name).withNamespace(ns.name()).build())
        .endSpec().build();
    return sync.authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed();
  }

  /**
   * Everything the Deployment's sync does, as the account: a first round that applies, a second
   * that prunes the policy the branch no longer defines, leader election on the Lease (take it,
   * renew it, release it). Returns what went wrong, empty when every step worked.
   */
  private List<String> syncAsTheAccount(TestingGitServer git, Path dir, String attempt) {
    List<String> wrong = new ArrayList<>();
    TestingGitServer.Repo repo = git.createRepository("policies-" + attempt);
    String file = "policies/namespaces/" + ns.name() + "/policy.yaml";
    repo.commit("seed", Map.of(file, policy("team")));
    // --vap: the file grants the rule on ValidatingAdmissionPolicies, which only --vap uses
    String[] once = {"sync", "--repo", repo.httpUri().toString(), "--once", "--prune", "--vap", "-n", ns.name(),
        "--cache-dir", dir.resolve("cache-" + attempt).toString(), "--kubeconfig", kubeconfig.toString()};

    CliRun first = cli(once);
    if (first.exitCode() != 0 || policyNamed("team") == null || vapsOf("team").isEmpty()) {
      wrong.add("first round: exit " + first.exitCode() + ": " + first.err());
    }
    // The namespace's policy renamed: "team" is no longer defined and must be pruned.
    String head = repo.commit("rename", Map.of(file, policy("renamed")));
    CliRun second = cli(once);
    if (second.exitCode() != 0 || policyNamed("team") != null || policyNamed("renamed") == null
        || !vapsOf("team").isEmpty() || vapsOf("renamed").isEmpty()) {
      wrong.add("pruning round: exit " + second.exitCode() + ": " + second.err());
    }
    // an Event it cannot record does not fail a round: look for the commit's Synced Event
    boolean synced = admin.v1().events().list().getItems().stream()
        .anyMatch(e -> "renamed".equals(e.getInvolvedObject().getName())
            && "Synced".equals(e.getReason()));
    if (!synced) {
      wrong.add("no Synced Event recorded on the policy: " + second.err());
    }
    var state = admin.configMaps().withName(STATE).get();
    if (state == null || !state.getData().get("state.json").contains(head)) {
      wrong.add("state not stored: " + state);
    }

    LeaderElection election = LeaderElection.start(sync, ComponentSettings.defaults("sync", ns.name()), () -> { },
        () -> { });
    try {
      await().atMost(LEADERSHIP).until(election::isLeader);
      // A leader renews every retry period (2 s); a failed renewal ends the lead.
      String acquired = renewTime();
      await().atMost(LEADERSHIP).until(() -> !renewTime().equals(acquired));
      if (!election.isLeader()) {
        wrong.add("lost the lead after renewing");
      }
    } catch (ConditionTimeoutException e) {
      wrong.add("did not become the leader and renew the Lease within " + LEADERSHIP + " each");
    } finally {
      try {
        election.close();
      } catch (KubernetesClientException e) {
        wrong.add("cannot release the Lease: " + e.getMessage());
      }
    }
    Lease lease = admin.leases().withName(LEASE).get();
    // Released: fabric8 keeps the holder and shortens the lease to one second, with an update.
    if (lease == null || lease.getSpec().getLeaseDurationSeconds() != 1) {
      wrong.add("Lease not taken and released: " + lease);
    }
    return wrong;
  }

  private String renewTime() {
    Lease lease = admin.leases().withName(LEASE).get();
    return String.valueOf(lease == null ? null : lease.getSpec().getRenewTime());
  }

  /** The ValidatingAdmissionPolicies and bindings exported from this namespace's policy {@code name}. */
  private List<String> vapsOf(String name) {
    List<String> names = new ArrayList<>();
    for (var resource : List.of(ApiResources.VALIDATING_ADMISSION_POLICY,
        ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)) {
      admin.genericKubernetesResources(resource).list().getItems().stream()
          .map(o -> o.getMetadata().getName())
          .filter(n -> n.startsWith("kube-devops-" + ns.name() + "-" + name + "-"))
          .forEach(names::add);
    }
    return names;
  }

  /** Deletes the exported objects of this test's namespace: cluster-scoped, no namespace takes them. */
  private void deleteVaps() {
    for (var resource : List.of(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING,
        ApiResources.VALIDATING_ADMISSION_POLICY)) {
      admin.genericKubernetesResources(resource).list().getItems().stream()
          .filter(o -> o.getMetadata().getName().startsWith("kube-devops-" + ns.name() + "-"))
          .forEach(o -> admin.genericKubernetesResources(resource).withName(o.getMetadata().getName()).delete());
    }
  }

  private Object policyNamed(String name) {
    return admin.genericKubernetesResources(ApiResources.DEVOPS_POLICY).withName(name).get();
  }

  /** Removes what a previous attempt left: policies, their Events, state, Lease. */
  private void forgetEverything() {
    admin.genericKubernetesResources(ApiResources.DEVOPS_POLICY).delete();
    admin.v1().events().delete();
    admin.configMaps().withName(STATE).delete();
    admin.leases().withName(LEASE).delete();
    deleteVaps();
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.configMaps().withName(STATE).get() == null
        && admin.leases().withName(LEASE).get() == null
        && admin.genericKubernetesResources(ApiResources.DEVOPS_POLICY).list().getItems().isEmpty()
        && admin.v1().events().list().getItems().isEmpty()
        && vapsOf("team").isEmpty() && vapsOf("renamed").isEmpty());
  }

  @Test
  void theFilesRulesAreEnoughToApplyPruneAndLead(TestingGitServer git, @TempDir Path dir) {
    assertThat(syncAsTheAccount(git, dir, "all-rules")).isEmpty();
  }

  @Test
  void everyVerbOfTheFilesRulesIsNeeded(TestingGitServer git, @TempDir Path dir) {
    List<PolicyRule> roleRules = List.copyOf(role.getRules());
    List<PolicyRule> clusterRules = List.copyOf(clusterRole.getRules());
    List<String> unneeded = new ArrayList<>();
    int attempt = 0;
    for (boolean inRole : List.of(true, false)) {
      List<PolicyRule> rules = inRole ? roleRules : clusterRules;
      for (int r = 0; r < rules.size(); r++) {
        PolicyRule rule = rules.get(r);
        for (String verb : rule.getVerbs()) {
          List<PolicyRule> fewer = without(rules, r, verb);
          grant(inRole ? fewer : roleRules, inRole ? clusterRules : fewer);
          String name = rule.getResourceNames().isEmpty() ? null : rule.getResourceNames().get(0);
          String group = rule.getApiGroups().get(0);
          String resource = rule.getResources().get(0);
          await().atMost(Duration.ofSeconds(10)).until(() -> !allowed(verb, group, resource, name));
          forgetEverything();

          List<String> wrong = syncAsTheAccount(git, dir, "attempt-" + attempt++);

          if (wrong.isEmpty()) {
            unneeded.add(verb + " " + resource + (name == null ? "" : " " + name));
          }
        }
      }
    }
    assertThat(attempt).as("verbs tried").isGreaterThanOrEqualTo(10);
    assertThat(unneeded).as("granted, but the sync works without").isEmpty();
  }

  /** The rules with one verb taken out of rule {@code index} (the rule dropped if it was its last). */
  private static List<PolicyRule> without(List<PolicyRule> rules, int index, String verb) {
    List<PolicyRule> fewer = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      PolicyRule rule = rules.get(r);
      if (r != index) {
        fewer.add(rule);
      } else if (rule.getVerbs().size() > 1) {
        fewer.add(new PolicyRuleBuilder(rule).withVerbs(rule.getVerbs().stream().filter(v -> !v.equals(verb)).toList())
            .build());
      }
    }
    return fewer;
  }

  @Test
  void whatTheSyncNeverDoesIsRefused() {
    admin.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("someone-elses").endMetadata()
        .addToData("k", "v").build()).create();
    admin.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(STATE).endMetadata()
        .addToData("state.json", "{}").build()).create();

    List<String> wrong = new ArrayList<>();
    record Action(String verb, String group, String resource, String name) {}
    List<Action> refused = List.of(
        // Its own state is read and written, never deleted; no other ConfigMap is touched.
        new Action("delete", "", "configmaps", STATE),
        new Action("update", "", "configmaps", STATE),
        new Action("get", "", "configmaps", "someone-elses"),
        new Action("patch", "", "configmaps", "someone-elses"),
        new Action("list", "", "configmaps", null),
        new Action("watch", "", "configmaps", null),
        new Action("get", "", "secrets", null),
        new Action("list", "", "secrets", null),
        // Other Leases: neither read nor renewed nor deleted (create cannot be limited by name).
        new Action("get", "coordination.k8s.io", "leases", "kube-devops-operator"),
        new Action("patch", "coordination.k8s.io", "leases", "kube-devops-operator"),
        new Action("update", "coordination.k8s.io", "leases", LEASE),
        new Action("delete", "coordination.k8s.io", "leases", LEASE),
        new Action("list", "coordination.k8s.io", "leases", null),
        // Policies: no watch, no bulk delete, no update (apply is a patch); no other kind.
        new Action("watch", "devops.stochastic.io", "devopspolicies", null),
        new Action("update", "devops.stochastic.io", "devopspolicies", null),
        new Action("deletecollection", "devops.stochastic.io", "devopspolicies", null),
        // ValidatingAdmissionPolicies (--vap): applied and pruned one by one, never watched,
        // replaced or deleted in bulk; no other admission configuration.
        new Action("watch", "admissionregistration.k8s.io", "validatingadmissionpolicies", null),
        new Action("update", "admissionregistration.k8s.io", "validatingadmissionpolicies", null),
        new Action("deletecollection", "admissionregistration.k8s.io",
            "validatingadmissionpolicybindings", null),
        new Action("patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations",
            null),
        new Action("create", "devops.stochastic.io", "policyauditresults", null),
        new Action("patch", "", "events", null),
        new Action("delete", "", "events", null),
        new Action("create", "", "pods", null),
        new Action("create", "rbac.authorization.k8s.io", "rolebindings", null),
        new Action("escalate", "rbac.authorization.k8s.io", "roles", null),
        new Action("impersonate", "", "serviceaccounts", null));
    for (Action action : refused) {
      if (allowed(action.verb(), action.group(), action.resource(), action.name())) {
        wrong.add("can " + action);
      }
    }
    assertThat(wrong).isEmpty();

    // The same, for real: the requests the sync never makes are answered 403.
    assertThatThrownBy(() -> sync.configMaps().withName(STATE).delete())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThatThrownBy(() -> sync.configMaps().withName("someone-elses").get())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThatThrownBy(() -> sync.configMaps().list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(admin.configMaps().withName(STATE).get()).as("still there").isNotNull();
  }
}
