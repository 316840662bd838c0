package io.stochastic.devops.cli;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.stochastic.devops.deploy.Component;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch engine as the process a pod runs ({@code bin/kube-devops watch} over the packaged
 * jar): it takes the Lease kube-devops-watch, says so on /readyz, its /metrics follows a pod
 * created and deleted, and on SIGTERM it releases the Lease and exits 0.
 */
@IntegrationTest
class WatchProcessIT {

  @Test
  void publishesAsLeaderAndExitsZeroOnSigterm(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    var client = ns.client();
    try (ComponentProcess watch = ComponentProcess.start("watch", ns, dir.resolve("watch.log"),
        "watch-a")) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(watch.get("/readyz").body()).contains("leader: watch-a"));
      String series = WatchMetrics.NAMESPACE_HEALTH_SCORE + "{namespace=\"" + ns.name() + "\"}";

      TestingObjects.runningPod(client, "cache", 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> watch.get("/metrics").body()
          .contains(series));
      client.pods().withName("cache").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> !watch.get("/metrics").body()
          .contains(series));
      Lease held = client.leases().withName(ComponentProcess.WATCH_LEASE).get();
      assertThat(held.getSpec().getHolderIdentity()).isEqualTo("watch-a");

      watch.terminateCleanly();

      assertThat(client.leases().withName(ComponentProcess.WATCH_LEASE).get().getSpec()
          .getLeaseDurationSeconds()).as("released").isEqualTo(1);
      assertThat(watch.log()).contains("stopped: the round in flight finished and the Lease was"
          + " released");
    }
  }

  /**
   * {@code kube-devops watch} as its ServiceAccount under exactly the RBAC {@code deploy
   * generate-rbac --component watch} prints: every informer starts, the Lease is taken, a pod
   * shows in /metrics, and nothing is refused.
   */
  @Test
  void runsUnderTheGeneratedRole(TestingNamespace ns, @TempDir Path dir) throws Exception {
    var admin = ns.client();
    String account = Component.WATCH.accountName();
    Path kubeconfig = TestingObjects.serviceAccountKubeconfig(ns, account,
        dir.resolve("kubeconfig"));
    String clusterName = ComponentProcess.createGeneratedRbac(ns, Component.WATCH);
    try {
      Path log = dir.resolve("watch.log");
      Process watch = new ProcessBuilder("bin/kube-devops", "watch", "--kubeconfig",
          kubeconfig.toString(), "-n", ns.name(), "--lease-namespace", ns.name(),
          "--metrics-port", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        TestingObjects.runningPod(admin, "cache", 0);
        String series = WatchMetrics.NAMESPACE_HEALTH_SCORE + "{namespace=\"" + ns.name()
            + "\"}";
        await().atMost(Duration.ofSeconds(60)).until(() -> metrics(log).contains(series));
        assertThat(admin.leases().withName(ComponentProcess.WATCH_LEASE).get().getSpec()
            .getHolderIdentity()).isNotBlank();
        watch.destroy();
        assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(watch.exitValue()).as(output).isZero();
        assertThat(output).as("nothing refused").doesNotContain("forbidden", "Forbidden");
      } finally {
        watch.destroyForcibly();
      }
    } finally {
      ComponentProcess.deleteGeneratedRbac(ns, clusterName);
    }
  }

  /** The process's /metrics, once it has logged its port; empty before. */
  private static String metrics(Path log) throws Exception {
    Matcher port = Pattern.compile("/metrics on port (\\d+)").matcher(Files.readString(log));
    if (!port.find()) {
      return "";
    }
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aResourceItMayNotWatchIsOneLineAndExitTwo(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    // may read the policies (the check before the informers) but not pods
    TestingObjects.create(ns.client(), """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: policies-only}
        rules:
          - apiGroups: [devops.stochastic.io]
            resources: [devopspolicies]
            verbs: [list, watch]
        """);
    TestingObjects.create(ns.client(), """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: policies-only}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: policies-only}
        subjects: [{kind: ServiceAccount, name: watcher, namespace: %s}]
        """.formatted(ns.name()));
    Path kubeconfig = TestingObjects.serviceAccountKubeconfig(ns, "watcher",
        dir.resolve("kubeconfig"));
    Path log = dir.resolve("watch.log");
    Process watch = new ProcessBuilder("bin/kube-devops", "watch", "--kubeconfig",
        kubeconfig.toString(), "-n", ns.name(), "--no-leader-election", "--metrics-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(watch.waitFor(90, TimeUnit.SECONDS)).as("exits").isTrue();
      String output = Files.readString(log);
      assertThat(watch.exitValue()).as(output).isEqualTo(ExitCode.ERROR);
      assertThat(output.lines().filter(l -> l.startsWith("error: ")).toList()).as(output)
          .singleElement().asString().startsWith("error: listing ").contains(ns.name(),
              "forbidden");
      assertThat(output).as("no stack trace").doesNotContain("\tat ", "Exception");
    } finally {
      watch.destroyForcibly();
    }
  }
}
