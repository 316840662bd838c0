package io.stochastic.devops.cli;

import static io.stochastic.devops.cli.CliResult.run;
import static io.stochastic.devops.testing.TestingObjects.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.kube.ApiResources;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.stochastic.devops.testing.Cluster;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import io.stochastic.devops.testing.TestingKubeconfig;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync --once} and {@code sync status} in-process against the real API server and Git. */
@IntegrationTest
class SyncCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void onceAppliesOverAuthenticatedHttpAndStatusShowsTheStoredState(TestingNamespace ns,
      @TempDir Path dir) throws Exception {
    try (TestingGitServer git = TestingGitServer.start("sync", "s3cret")) {
      TestingGitServer.Repo repo = git.createRepository("policies");
      String head = repo.commit("seed", Map.of(
          "policies/namespaces/" + ns.name() + "/policy.yaml", policy("team", "baseline")));
      Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
      String kubeconfig = ns.kubeconfig().toString();

      CliResult sync = run("sync", "--repo", repo.httpUri().toString(), "--once", "--prune",
          "--username", "sync", "--token-file", token.toString(),
          "--cache-dir", dir.resolve("cache").toString(), "--kubeconfig", kubeconfig);

      assertThat(sync.exitCode()).as(sync.toString()).isZero();
      assertThat(sync.err()).contains("devopspolicy.devops.stochastic.io/team created")
          .contains("revision " + head + " (full sync): 1 applied, 0 pruned");
      assertThat(ns.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY)
          .withName("team").get()).isNotNull();

      CliResult status = run("sync", "status", "-o", "json", "--kubeconfig", kubeconfig);
      assertThat(status.exitCode()).as(status.toString()).isZero();
      JsonNode state = JSON.readTree(status.out()).get(0);
      assertThat(state.get("lastAppliedRevision").asText()).isEqualTo(head);
      assertThat(state.get("namespace").asText()).isEqualTo(ns.name());
      assertThat(state.get("inventory").get(0).get("name").asText()).isEqualTo("team");
      assertThat(state.get("lastError").isNull()).isTrue();

      CliResult table = run("sync", "status", "--kubeconfig", kubeconfig);
      assertThat(table.out()).contains("CLUSTER", head.substring(0, 12));
    }
  }

  @Test
  void wrongCredentialsAreOneErrorLineAndExit2(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    try (TestingGitServer git = TestingGitServer.start("sync", "s3cret")) {
      TestingGitServer.Repo repo = git.createRepository("policies");
      repo.commit("seed", Map.of("policies/namespaces/" + ns.name() + "/policy.yaml",
          policy("team", "baseline")));
      Path token = Files.writeString(dir.resolve("token"), "wrong");

      CliResult sync = run("sync", "--repo", repo.httpUri().toString(), "--once",
          "--username", "sync", "--token-file", token.toString(),
          "--cache-dir", dir.resolve("cache").toString(),
          "--kubeconfig", ns.kubeconfig().toString());

      assertThat(sync.exitCode()).as(sync.toString()).isEqualTo(2);
      assertThat(sync.err().lines().filter(l -> l.startsWith("error: ")))
          .singleElement().asString().contains(repo.httpUri() + "@main:policies: cannot fetch");
      assertThat(sync.err()).doesNotContain("\tat ");
    }
  }

  @Test
  void onceSyncsEveryContextAndStatusShowsEach(TestingNamespace prod,
      @Cluster("second") TestingNamespace staging, TestingGitServer git, @TempDir Path dir)
      throws Exception {
    // the policy's namespace (and the sync's) must exist in both clusters
    staging.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName(prod.name()).endMetadata().build()).create();
    try {
      TestingGitServer.Repo repo = git.createRepository("policies");
      String head = repo.commit("seed", Map.of(
          "policies/namespaces/" + prod.name() + "/policy.yaml", policy("team", "baseline")));
      Path kubeconfig = TestingKubeconfig.write(dir.resolve("config"), "prod",
          Map.of("prod", prod, "staging", staging));

      CliResult sync = run("sync", "--repo", repo.fileUri().toString(), "--once",
          "--contexts", "prod,staging", "-n", prod.name(),
          "--cache-dir", dir.resolve("cache").toString(), "--kubeconfig", kubeconfig.toString());

      assertThat(sync.exitCode()).as(sync.toString()).isZero();
      for (TestingNamespace cluster : java.util.List.of(prod, staging)) {
        assertThat(cluster.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY)
            .inNamespace(prod.name()).withName("team").get()).isNotNull();
      }
      CliResult status = run("sync", "status", "--contexts", "prod,staging", "-n", prod.name(),
          "-o", "json", "--kubeconfig", kubeconfig.toString());
      JsonNode states = JSON.readTree(status.out());
      assertThat(states).extracting(s -> s.get("cluster").asText())
          .containsExactly("prod", "staging");
      assertThat(states).allSatisfy(s ->
          assertThat(s.get("lastAppliedRevision").asText()).isEqualTo(head));
    } finally {
      staging.client().namespaces().withName(prod.name()).delete();
    }
  }

  @Test
  void dryRunChangesNothingAndStoresNoState(TestingNamespace ns, TestingGitServer git,
      @TempDir Path dir) {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", Map.of("policies/namespaces/" + ns.name() + "/policy.yaml",
        policy("team", "baseline")));

    CliResult sync = run("sync", "--repo", repo.fileUri().toString(), "--once", "--dry-run",
        "--cache-dir", dir.resolve("cache").toString(),
        "--kubeconfig", ns.kubeconfig().toString());

    assertThat(sync.exitCode()).as(sync.toString()).isZero();
    assertThat(sync.err()).contains("devopspolicy.devops.stochastic.io/team created (namespace "
        + ns.name() + ", server dry run)");
    assertThat(ns.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY)
        .withName("team").get()).isNull();
    assertThat(ns.client().configMaps().withName("kube-devops-sync-state").get()).isNull();
  }

  @Test
  void usageErrorsExit2(TestingNamespace ns) {
    CliResult noRepo = run("sync", "--once", "--kubeconfig", ns.kubeconfig().toString());
    assertThat(noRepo.exitCode()).isEqualTo(2);
    assertThat(noRepo.err()).contains("--repo");
    CliResult halfAuth = run("sync", "--repo", "file:///nowhere", "--once", "--username", "x",
        "--kubeconfig", ns.kubeconfig().toString());
    assertThat(halfAuth.exitCode()).isEqualTo(2);
    assertThat(halfAuth.err()).contains("--username and --token-file go together");
  }

  /**
   * {@code policy diff --vap} shows what {@code sync --vap} would apply (every object to create),
   * nothing once the sync has applied it, and the exported objects a check turned off leaves in
   * the cluster.
   */
  @Test
  void policyDiffVapComparesWhatSyncVapApplies(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    String kubeconfig = ns.kubeconfig().toString();
    String path = "policies/namespaces/" + ns.name() + "/policy.yaml";
    Path file = dir.resolve("files/" + path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, policy("team", "pss-baseline"));
    String prefix = "kube-devops-" + ns.name() + "-team-";
    try (TestingGitServer git = TestingGitServer.start("sync", "s3cret")) {
      TestingGitServer.Repo repo = git.createRepository("policies");
      repo.commit("seed", Map.of(path, policy("team", "pss-baseline")));

      JsonNode before = diffVap(file, kubeconfig, ExitCode.POLICY_FAILED);
      assertThat(statuses(before, "DevOpsPolicy")).containsOnly("created");
      assertThat(statuses(before, "ValidatingAdmissionPolicy")).isNotEmpty().containsOnly("created");
      assertThat(statuses(before, "ValidatingAdmissionPolicyBinding"))
          .hasSameSizeAs(statuses(before, "ValidatingAdmissionPolicy")).containsOnly("created");

      Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
      CliResult sync = run("sync", "--repo", repo.httpUri().toString(), "--once", "--vap",
          "--username", "sync", "--token-file", token.toString(),
          "--cache-dir", dir.resolve("cache").toString(), "--kubeconfig", kubeconfig);
      assertThat(sync.exitCode()).as(sync.toString()).isZero();

      // (the policy itself differs by the sync's managed-by label, which a file does not carry)
      JsonNode same = diffVap(file, kubeconfig, ExitCode.POLICY_FAILED);
      assertThat(statuses(same, "ValidatingAdmissionPolicy"))
          .hasSameSizeAs(statuses(before, "ValidatingAdmissionPolicy")).containsOnly("unchanged");
      assertThat(statuses(same, "ValidatingAdmissionPolicyBinding"))
          .hasSameSizeAs(statuses(before, "ValidatingAdmissionPolicy")).containsOnly("unchanged");

      Files.writeString(file, policy("team", "pss-baseline")
          + "  severityOverrides:\n    hostPIDSet: \"off\"\n");
      JsonNode after = diffVap(file, kubeconfig, ExitCode.POLICY_FAILED);
      assertThat(statuses(after, "DevOpsPolicy")).containsExactly("changed");
      for (String kind : new String[] {"ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding"}) {
        assertThat(after.path("policies").findParents("status")).filteredOn(
            p -> p.path("kind").asText().equals(kind)
                && p.path("status").asText().equals("absent"))
            .extracting(p -> p.path("name").asText()).containsExactly(prefix + "host-pid-set");
      }
    } finally {
      for (var resource : java.util.List.of(ApiResources.VALIDATING_ADMISSION_POLICY_BINDING,
          ApiResources.VALIDATING_ADMISSION_POLICY)) {
        ns.client().genericKubernetesResources(resource).list().getItems().stream()
            .filter(o -> o.getMetadata().getName().startsWith(prefix))
            .forEach(o -> ns.client().genericKubernetesResources(resource)
                .withName(o.getMetadata().getName()).delete());
      }
    }
  }

  private static JsonNode diffVap(Path file, String kubeconfig, int exitCode) throws Exception {
    CliResult diff = run("policy", "diff", file.toString(), "--vap", "-o", "json",
        "--kubeconfig", kubeconfig);
    assertThat(diff.exitCode()).as(diff.toString()).isEqualTo(exitCode);
    return JSON.readTree(diff.out());
  }

  /** The statuses of the diff's entries of one kind. */
  private static java.util.List<String> statuses(JsonNode diff, String kind) {
    java.util.List<String> statuses = new java.util.ArrayList<>();
    diff.path("policies").forEach(p -> {
      if (p.path("kind").asText().equals(kind)) {
        statuses.add(p.path("status").asText());
      }
    });
    return statuses;
  }
}
