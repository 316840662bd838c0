package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync as the process a pod runs ({@code bin/kube-devops sync} over the packaged jar): it
 * takes the Lease, syncs, serves its endpoints, and on SIGTERM releases the Lease and exits 0.
 */
@IntegrationTest
class SyncProcessIT {
  private static final Pattern PORT = Pattern.compile("/metrics on port (\\d+)");

  @Test
  void sigtermReleasesTheLeaseAndExitsZero(TestingNamespace ns, TestingGitServer git,
      @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    String head = seed(repo, ns);
    Path log = dir.resolve("sync.log");
    Process sync = start(repo, ns, dir, log);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> ns.client()
          .genericKubernetesResources(ApiResources.DEVOPS_POLICY).withName("team").get() != null);
      Matcher port = PORT.matcher(Files.readString(log));
      assertThat(port.find()).as(Files.readString(log)).isTrue();
      HttpRequest scrape = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build();
      // the policy shows before the round has recorded its metrics: wait for the round's end
      await().atMost(Duration.ofSeconds(10)).until(() -> HttpClient.newHttpClient()
          .send(scrape, HttpResponse.BodyHandlers.ofString()).body()
          .contains("revision=\"" + head + "\""));
      Lease held = ns.client().leases().withName("kube-devops-sync").get();
      assertThat(held.getSpec().getLeaseDurationSeconds()).isEqualTo(15);

      sync.destroy(); // SIGTERM

      assertThat(sync.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      assertThat(sync.exitValue()).as(Files.readString(log)).isZero();
      assertThat(ns.client().leases().withName("kube-devops-sync").get().getSpec()
          .getLeaseDurationSeconds()).as("released").isEqualTo(1);
      assertThat(Files.readString(log)).contains("stopped: the round in flight finished");
    } finally {
      sync.destroyForcibly();
    }
  }

  @Test
  void withJsonLogsEveryLineIsAJsonObjectNamingItsObject(TestingNamespace ns,
      TestingGitServer git, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    seed(repo, ns);
    Path log = dir.resolve("sync.log");
    Process sync = start(repo, ns, dir, log, "--no-leader-election", "--log-format", "json");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log)
          .contains("round done"));
      sync.destroy();
      assertThat(sync.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();

      ObjectMapper json = new ObjectMapper();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        lines.add(json.readTree(line)); // throws on a line that is not JSON
      }
      String object = "DevOpsPolicy/" + ns.name() + "/team";
      assertThat(lines).anySatisfy(line -> {
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("created");
        assertThat(line.path("kvpList").toString()).contains("\"object\":\"" + object + "\"")
            .contains("\"source\":\"policies/namespaces/" + ns.name() + "/policy.yaml\"");
        assertThat(line.path("mdc").path("cluster").asText()).isNotEmpty();
      });
      assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
          .startsWith("stopped: the round in flight finished"));
    } finally {
      sync.destroyForcibly();
    }
  }

  /** Commits policy {@code team} for the test namespace; returns the commit. */
  private static String seed(TestingGitServer.Repo repo, TestingNamespace ns) {
    return repo.commit("seed", Map.of("policies/namespaces/" + ns.name() + "/policy.yaml", """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team}
        spec: {bundle: baseline}
        """));
  }

  /** Starts {@code bin/kube-devops sync} polling every second, its output in {@code log}. */
  private static Process start(TestingGitServer.Repo repo, TestingNamespace ns, Path dir,
      Path log, String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of("bin/kube-devops", "sync", "--repo",
        repo.fileUri().toString(), "--kubeconfig", ns.kubeconfig().toString(),
        "--cache-dir", dir.resolve("cache").toString(), "--metrics-port", "0",
        "--interval", "1s"));
    command.addAll(List.of(options));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }
}
