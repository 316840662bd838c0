package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.nio.file.Path;
import java.time.Duration;
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
}
