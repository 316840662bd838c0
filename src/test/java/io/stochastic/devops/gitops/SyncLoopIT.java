package io.stochastic.devops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.metrics.SyncMetrics;
import io.stochastic.devops.runtime.ComponentServer;
import io.stochastic.devops.runtime.Readiness;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop around the sync round: a Git server going down is retried with backoff, shows on
 * {@code /readyz} and in {@code /metrics}, and prunes nothing; when it is back, the sync goes on.
 */
@IntegrationTest
class SyncLoopIT {
  @Test
  void aGitServerThatGoesDownIsRetriedWithBackoffAndReportedAndPrunesNothing(
      KubernetesClient client, TestingGitServer git, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = git.createRepository("policies");
    repo.commit("seed", Map.of("policies/namespaces/" + client.getNamespace() + "/policy.yaml",
        """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team}
        spec: {bundle: baseline}
        """));
    PolicyLinter linter = new PolicyLinter(PolicySchema.devOpsPolicy(), TestUtils.resolver());
    PrometheusRegistry registry = new PrometheusRegistry();
    SyncMetrics metrics = new SyncMetrics(registry);
    Readiness readiness = new Readiness();
    SyncOptions pruneEverything = new SyncOptions(true, false, true, SyncOptions.DEFAULT_HEAL_EVERY);
    Duration interval = Duration.ofMinutes(5);

    GitSource up = new GitSource(repo.httpUri().toString(), "main", "policies", GitAuth.NONE);
    try (GitMirror mirror = GitMirror.open(dir, up);
        ComponentServer server = ComponentServer.start(0, registry, readiness)) {
      SyncLoop loop = new SyncLoop(java.util.List.of(new SyncLoop.Target("test",
          new PolicySync(up, mirror, linter, ClusterSession.over(client, "test"),
              new SyncStateStore(client, client.getNamespace()), ObjectYaml.asIs(), null))),
          pruneEverything, metrics, readiness, SyncLoop.FETCH_RETRY, Clock.systemUTC(),
          () -> true);
      assertThat(loop.round().failures()).isEmpty();
      assertThat(loop.nextWait(interval)).isEqualTo(interval);

      GitSource down = new GitSource("http://127.0.0.1:1/policies.git", "main", "policies",
          GitAuth.NONE);
      SyncLoop failing = new SyncLoop(java.util.List.of(new SyncLoop.Target("test",
          new PolicySync(down, GitMirror.open(dir, down), linter,
              ClusterSession.over(client, "test"),
              new SyncStateStore(client, client.getNamespace()), ObjectYaml.asIs(), null))),
          pruneEverything, metrics, readiness, SyncLoop.FETCH_RETRY, Clock.systemUTC(),
          () -> true);
      assertThat(failing.round().fetchFailed()).isTrue();
      Duration first = failing.nextWait(interval);
      failing.round();
      failing.round();
      Duration third = failing.nextWait(interval);
      assertThat(first).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(third).as("backs off").isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).startsWith("git: last fetch failed 3 times: test: "
          + "http://127.0.0.1:1/policies.git@main:policies: cannot fetch");
      String scraped = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scraped).contains(SyncMetrics.GIT_FETCH_ERRORS_TOTAL + " 3.0")
          .contains(SyncMetrics.OBJECTS_APPLIED_TOTAL + "{cluster=\"test\"} 1.0")
          .contains("kube_devops_sync_revision_info{cluster=\"test\",revision=\"" + repo.head()
              + "\"} 1");
      assertThat(client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).withName("team")
          .get()).as("nothing pruned while Git is down, even with --allow-empty").isNotNull();

      assertThat(loop.round().failures()).as("back up").isEmpty();
      assertThat(readiness.isReady()).isTrue();
    }
  }
}
