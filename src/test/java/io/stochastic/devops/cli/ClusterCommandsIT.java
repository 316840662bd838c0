package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingKubeconfig;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.testing.Cluster;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only cluster commands against real API servers, in-process: {@code list pods},
 * {@code analyze} (namespace policies, runtime checks, gates, errors) and {@code multi-cluster}.
 */
@IntegrationTest
class ClusterCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void listPodsShowsPhaseAndRestarts(TestingNamespace ns) throws Exception {
    TestingObjects.runningPod(ns.client(), "cache", 4);

    CliResult table = CliResult.run("list", "pods", "--kubeconfig", ns.kubeconfig().toString());
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).containsPattern("NAMESPACE\\s+NAME\\s+PHASE\\s+NODE\\s+RESTARTS\\s+AGE")
        .containsPattern(ns.name() + "\\s+cache\\s+Running\\s+<none>\\s+4\\s");

    CliResult json = CliResult.run("list", "pods", "-o", "json", "--kubeconfig",
        ns.kubeconfig().toString());
    JsonNode pods = JSON.readTree(json.out()).get("pods");
    assertThat(pods).hasSize(1);
    assertThat(pods.get(0).get("restarts").asLong()).isEqualTo(4);
    assertThat(pods.get(0).get("phase").asText()).isEqualTo("Running");
  }

  @Test
  void analyzeJudgesEachNamespaceUnderItsOwnPolicyWithRuntimeChecks(TestingNamespace ns)
      throws Exception {
    TestingObjects.runningPod(ns.client(), "cache", 7);
    TestingObjects.create(ns.client(), """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: strict}
        spec: {bundle: permissive, maxRestartCount: 3}
        """);

    CliResult result = CliResult.run("analyze", "-o", "json", "--cluster-name", "prod-eu",
        "--kubeconfig", ns.kubeconfig().toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode report = JSON.readTree(result.out());
    assertThat(report.get("cluster").asText()).isEqualTo("prod-eu");
    assertThat(report.get("kind").asText()).isEqualTo("AuditReport");
    JsonNode workload = report.get("workloads").get(0);
    assertThat(workload.get("name").asText()).isEqualTo("cache");
    assertThat(workload.get("source").asText()).isEqualTo("cluster prod-eu");
    assertThat(workload.get("findings").findValuesAsText("check"))
        .contains("restartCountTooHigh");
    assertThat(workload.get("findings").toString()).contains("restarted 7 times (more than 3)");

    CliResult gated = CliResult.run("analyze", "--fail-on", "high", "--kubeconfig",
        ns.kubeconfig().toString());
    assertThat(gated.exitCode()).as(gated.toString()).isEqualTo(1);
    assertThat(gated.out()).contains("cache");
    assertThat(gated.err()).contains("policy gate failed");
  }

  @Test
  void aForbiddenListIsOneLineNamingTheContextAndResource(TestingNamespace ns,
      @TempDir Path dir) throws Exception {
    // A ServiceAccount without any role: the API server forbids every list.
    Path kubeconfig = TestingObjects.serviceAccountKubeconfig(ns, "nobody",
        dir.resolve("nobody.yaml"));

    CliResult result = CliResult.run("analyze", "-A", "--kubeconfig", kubeconfig.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).startsWith(
        "error: listing DevOpsPolicies in all namespaces (context nobody): forbidden: ")
        .doesNotContain("Exception", "at io.");
  }

  @Test
  void anEmptyNamespaceFailsTheGateWithFailOnEmpty(TestingNamespace ns) {
    CliResult passes = CliResult.run("analyze", "--fail-below", "80", "--kubeconfig",
        ns.kubeconfig().toString());
    assertThat(passes.exitCode()).as(passes.toString()).isZero();

    CliResult fails = CliResult.run("analyze", "--fail-on-empty", "--kubeconfig",
        ns.kubeconfig().toString());
    assertThat(fails.exitCode()).as(fails.toString()).isEqualTo(1);
    assertThat(fails.err()).contains("policy gate failed: no workloads were audited "
        + "(--fail-on-empty)");
  }

  @Test
  void aNamespaceThatDoesNotExistIsAnErrorNotAnEmptyPass(TestingNamespace ns) {
    CliResult result = CliResult.run("analyze", "-n", "no-such-namespace", "--fail-below", "80",
        "--kubeconfig", ns.kubeconfig().toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("error: namespace 'no-such-namespace' not found in "
        + "cluster " + TestingKubeconfig.DEFAULT_CONTEXT + " (context "
        + TestingKubeconfig.DEFAULT_CONTEXT + ")\n");
  }

  @Test
  void analyzeOfAnUnreachableClusterIsOneLine(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("gone.yaml");
    java.nio.file.Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: gone, context: {cluster: gone, user: u}}]
        current-context: gone
        """);

    CliResult result = CliResult.run("analyze", "-A", "--kubeconfig", kubeconfig.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: cannot reach the cluster at https://127.0.0.1:1")
        .contains("context gone");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void multiClusterScoresTheFleetAndSurvivesAClusterStoppedMidRun(TestingNamespace prod,
      @Cluster("second") TestingNamespace staging, @TempDir Path dir) throws Exception {
    TestingObjects.runningPod(prod.client(), "cache", 0);
    TestingObjects.runningPod(staging.client(), "cache", 9);
    TestingApiServer doomed = TestingApiServer.start("doomed");
    try {
      TestingNamespace doomedNs = doomed.createNamespace("doomed");
      TestingObjects.runningPod(doomedNs.client(), "cache", 0);
      Map<String, TestingNamespace> contexts = new LinkedHashMap<>();
      contexts.put("prod", prod);
      contexts.put("staging", staging);
      contexts.put("doomed", doomedNs);
      Path kubeconfig = TestingKubeconfig.write(dir.resolve("fleet.yaml"), "prod", contexts);

      CliResult listed = CliResult.run("multi-cluster", "list-contexts", "--kubeconfig",
          kubeconfig.toString());
      assertThat(listed.out()).containsPattern("\\*\\s+prod").contains("staging", "doomed");

      CliResult all = CliResult.run("multi-cluster", "analyze", "--all-contexts", "-o", "json",
          "--kubeconfig", kubeconfig.toString());
      assertThat(all.exitCode()).as(all.toString()).isZero();
      JsonNode fleet = JSON.readTree(all.out());
      assertThat(fleet.get("clusters").findValuesAsText("status"))
          .containsExactly("audited", "audited", "audited");

      doomed.close(); // stopped: the next run finds it gone
      CliResult partial = CliResult.run("multi-cluster", "analyze", "--all-contexts",
          "--per-cluster", "-o", "json", "--timeout", "60s", "--kubeconfig",
          kubeconfig.toString());
      assertThat(partial.exitCode()).as(partial.toString()).isZero();
      JsonNode clusters = JSON.readTree(partial.out()).get("clusters");
      Map<String, JsonNode> byName = new LinkedHashMap<>();
      clusters.forEach(c -> byName.put(c.get("cluster").asText(), c));
      assertThat(byName).containsOnlyKeys("prod", "staging", "doomed");
      assertThat(byName.get("doomed").get("status").asText()).isEqualTo("failed");
      assertThat(byName.get("doomed").get("error").asText()).contains("cannot reach the cluster");
      JsonNode stagingCache = null;
      for (JsonNode w : byName.get("staging").get("report").get("workloads")) {
        if (w.path("namespace").asText().equals(staging.name())) {
          stagingCache = w; // the second server also holds other tests' namespaces
        }
      }
      assertThat(stagingCache).isNotNull();
      assertThat(stagingCache.get("findings").findValuesAsText("check"))
          .contains("restartCountTooHigh");
      assertThat(byName.get("prod").get("status").asText()).isEqualTo("audited");
      assertThat(partial.err()).contains("error: cluster doomed: cannot reach the cluster");

      CliResult none = CliResult.run("multi-cluster", "analyze", "--contexts", "doomed",
          "--kubeconfig", kubeconfig.toString());
      assertThat(none.exitCode()).isEqualTo(2);
      assertThat(none.err()).contains("no cluster could be audited");

      // A cluster that accepts connections and never answers: the run gives up on it after
      // --timeout and still reports the others.
      try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50,
          java.net.InetAddress.getLoopbackAddress())) {
        Thread acceptor = new Thread(() -> {
          java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
          try {
            while (true) {
              held.add(blackHole.accept());
            }
          } catch (IOException closed) {
            held.forEach(socket -> {
              try {
                socket.close();
              } catch (IOException ignored) {
                // closing anyway
              }
            });
          }
        }, "black hole");
        acceptor.setDaemon(true);
        acceptor.start();
        int prodPort = java.net.URI.create(prod.server().config().getMasterUrl()).getPort();
        String hanging = java.nio.file.Files.readString(kubeconfig).replace(
            "127.0.0.1:" + prodPort, "127.0.0.1:" + blackHole.getLocalPort());
        Path hangingConfig = java.nio.file.Files.writeString(dir.resolve("hanging.yaml"),
            hanging);
        long started = System.nanoTime();
        CliResult slow = CliResult.run("multi-cluster", "analyze", "--contexts", "prod,staging",
            "--timeout", "3s", "-o", "json", "--kubeconfig", hangingConfig.toString());
        assertThat(slow.exitCode()).as(slow.toString()).isZero();
        JsonNode slowClusters = JSON.readTree(slow.out()).get("clusters");
        assertThat(slowClusters.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(slowClusters.get(0).get("error").asText()).isEqualTo("timed out after 3s");
        assertThat(slowClusters.get(1).get("status").asText()).isEqualTo("audited");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
            .as("given up at the timeout, not at the client's own").isLessThan(
                java.time.Duration.ofSeconds(60));
      }
    } finally {
      doomed.close();
    }
  }

}
