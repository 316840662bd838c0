package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.DevOpsPolicyStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operators ({@code bin/kube-devops reconcile} over the packaged jar, identities op-a and
 * op-b) on one namespace and one Lease: exactly one leads and writes the status, both are ready
 * and {@code /readyz} tells which leads; the leader killed (SIGKILL: the Lease is not released),
 * the other takes over once the Lease expires and reconciles what changed meanwhile; SIGTERM
 * stops it with exit 0.
 */
@IntegrationTest
class ReconcileHandoverIT {
  /** The lease is 15 s; the rest is the new leader's retry period and its first reconcile. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void oneLeadsAndTheOtherTakesOverWhenItIsKilled(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    KubernetesClient client = ns.client();
    TestingObjects.runningPod(client, "cache", 0);
    TestingObjects.create(client, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team}
        spec: {bundle: baseline, maxRestartCount: 3,
               severityOverrides: {restartCountTooHigh: critical}}
        """);
    try (ComponentProcess a = ComponentProcess.start(ns, dir.resolve("a.log"), "op-a");
        ComponentProcess b = ComponentProcess.start(ns, dir.resolve("b.log"), "op-b")) {
      awaitStatus(client, s -> s.getViolationsBySeverity() != null
          && s.getViolationsBySeverity().getCritical() == 0);
      String holder = client.leases().withName(ComponentProcess.OPERATOR_LEASE).get().getSpec()
          .getHolderIdentity();
      assertThat(holder).isIn("op-a", "op-b");
      ComponentProcess leader = holder.equals("op-a") ? a : b;
      ComponentProcess follower = leader == a ? b : a;

      awaitRole(leader, "leader: " + leader.identity);
      awaitRole(follower, "follower: waiting for the lead (held by " + leader.identity + ")");
      String reconciled = "DevOpsPolicy " + ns.name() + "/team:";
      assertThat(leader.log()).contains(reconciled);
      assertThat(follower.log()).as("the follower reconciles nothing").doesNotContain(reconciled);
      assertThat(client.v1().events().list().getItems()).extracting(Event::getReportingInstance)
          .filteredOn(i -> Set.of("op-a", "op-b").contains(i))
          .as("only the leader records Events").containsOnly(leader.identity);

      leader.process.destroyForcibly(); // SIGKILL: the Lease stays held until it expires
      assertThat(leader.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long killed = System.nanoTime();

      await().atMost(PATIENCE).until(() -> follower.identity.equals(client.leases()
          .withName(ComponentProcess.OPERATOR_LEASE).get().getSpec().getHolderIdentity()));
      System.out.printf("handover: %s holds the Lease %d ms after %s was killed%n",
          follower.identity, (System.nanoTime() - killed) / 1_000_000, leader.identity);
      awaitRole(follower, "leader: " + follower.identity);

      Pod pod = client.pods().withName("cache").get();
      pod.getStatus().getContainerStatuses().get(0).setRestartCount(5);
      client.pods().resource(pod).updateStatus();
      DevOpsPolicyStatus status = awaitStatus(client,
          s -> s.getViolationsBySeverity() != null
              && s.getViolationsBySeverity().getCritical() == 1);
      System.out.printf("handover: the change reconciled by %s %d ms after the kill%n",
          follower.identity, (System.nanoTime() - killed) / 1_000_000);
      assertThat(status.getMessage()).contains("1 critical");
      assertThat(follower.log()).contains(reconciled);

      follower.terminateCleanly();
      assertThat(client.leases().withName(ComponentProcess.OPERATOR_LEASE).get().getSpec()
          .getLeaseDurationSeconds()).as("released").isEqualTo(1);
    } finally {
      ComponentProcess.dropFinalizer(ns, "team");
    }
  }

  private static DevOpsPolicyStatus awaitStatus(KubernetesClient client,
      Predicate<DevOpsPolicyStatus> condition) {
    return await().atMost(PATIENCE).until(() -> client.resources(DevOpsPolicy.class)
        .withName("team").get().getStatus(), s -> s != null && condition.test(s));
  }

  private static void awaitRole(ComponentProcess operator, String role) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      HttpResponse<String> ready = operator.get("/readyz");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ok\n" + role + "\n");
    });
  }
}
