package io.stochastic.devops.cli;

import static io.stochastic.devops.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync --once} and {@code sync status} in-process against the real API server and Git. */
@IntegrationTest
class SyncCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String policy(String name) {
    return """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata:
          name: %s
        spec:
          bundle: baseline
        """.formatted(name);
  }

  @Test
  void onceAppliesOverAuthenticatedHttpAndStatusShowsTheStoredState(TestingNamespace ns,
      @TempDir Path dir) throws Exception {
    try (TestingGitServer git = TestingGitServer.start("sync", "s3cret")) {
      TestingGitServer.Repo repo = git.createRepository("policies");
      String head = repo.commit("seed", Map.of(
          "policies/namespaces/" + ns.name() + "/policy.yaml", policy("team")));
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
          policy("team")));
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
  void usageErrorsExit2(TestingNamespace ns) {
    CliResult noRepo = run("sync", "--once", "--kubeconfig", ns.kubeconfig().toString());
    assertThat(noRepo.exitCode()).isEqualTo(2);
    assertThat(noRepo.err()).contains("--repo");
    CliResult halfAuth = run("sync", "--repo", "file:///nowhere", "--once", "--username", "x",
        "--kubeconfig", ns.kubeconfig().toString());
    assertThat(halfAuth.exitCode()).isEqualTo(2);
    assertThat(halfAuth.err()).contains("--username and --token-file go together");
  }
}
