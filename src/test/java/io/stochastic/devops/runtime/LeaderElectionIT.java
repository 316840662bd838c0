package io.stochastic.devops.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.testing.IntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two replicas on the real API server: one leads, the other takes over when it stops. */
@IntegrationTest
class LeaderElectionIT {
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final Duration RENEW = Duration.ofSeconds(3);
  private static final Duration RETRY = Duration.ofMillis(500);

  private static ComponentSettings replica(KubernetesClient client, String identity) {
    return ComponentSettings.defaults("sync", client.getNamespace()).withPort(0)
        .withIdentity(identity).withLeaseTimings(LEASE, RENEW, RETRY);
  }

  @Test
  void oneOfTwoLeadsAndTheOtherTakesOverWhenItStops(KubernetesClient client) {
    AtomicInteger aStarted = new AtomicInteger();
    AtomicInteger aStopped = new AtomicInteger();
    LeaderElection a = LeaderElection.start(client, replica(client, "replica-a"),
        aStarted::incrementAndGet, aStopped::incrementAndGet);
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    LeaderElection b = LeaderElection.start(client, replica(client, "replica-b"), () -> { },
        () -> { });
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> "replica-a".equals(b.currentLeader()));
      assertThat(b.isLeader()).isFalse();
      Lease lease = client.leases().withName("kube-devops-sync").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");

      long stoppedAt = System.nanoTime();
      a.close();
      await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
      // released, not expired: b needs about one retry period, not a lease duration
      assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(LEASE);
      assertThat(a.isLeader()).isFalse();
      assertThat(aStarted).hasValue(1);
      assertThat(aStopped).hasValue(1);
      assertThat(client.leases().withName("kube-devops-sync").get().getSpec()
          .getHolderIdentity()).isEqualTo("replica-b");
    } finally {
      b.close();
    }
  }

  @Test
  void onlyTheLeaderRunsRoundsAndAStopEndsTheLoopAndReleasesTheLease(KubernetesClient client)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    AtomicInteger rounds = new AtomicInteger();
    StopSignal stop = new StopSignal();
    ComponentRuntime runtime = ComponentRuntime.start(
        replica(client, "replica-a").withLeaderElection(true), client, registry);
    Thread loop = new Thread(() -> runtime.runUntilStopped(stop, () -> {
      rounds.incrementAndGet();
      return Duration.ofMillis(100);
    }));
    loop.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 2);

    stop.requestStop();
    loop.join(Duration.ofSeconds(10).toMillis());
    assertThat(loop.isAlive()).isFalse();
    Lease lease = client.leases().withName("kube-devops-sync").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).as("released on stop: fabric8 cuts"
        + " the lease to 1 s").isEqualTo(1);
    int afterStop = rounds.get();
    // Holds for a while, rather than after a fixed sleep: no round after the stop.
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> rounds.get() == afterStop);
  }
}
