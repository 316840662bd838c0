package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as the process a pod runs ({@code bin/kube-devops reconcile} over the packaged
 * jar): it takes the Lease kube-devops-operator, writes a policy's status, serves its metrics,
 * and on SIGTERM releases the Lease and exits 0.
 */
@IntegrationTest
class ReconcileProcessIT {

  @Test
  void reconcilesServesMetricsAndExitsZeroOnSigterm(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    var client = ns.client();
    TestingObjects.create(client, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team}
        spec: {bundle: baseline}
        """);
    try (ComponentProcess operator = ComponentProcess.start(ns, dir.resolve("reconcile.log"),
        null)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(DevOpsPolicy.class)
          .withName("team").get().getStatus() != null);
      assertThat(operator.get("/metrics").body()).contains(OperatorMetrics.POLICY_HEALTH_SCORE
          + "{namespace=\"" + ns.name() + "\",policy=\"team\"} 100.0");
      Lease held = client.leases().withName(ComponentProcess.OPERATOR_LEASE).get();
      assertThat(held.getSpec().getHolderIdentity()).isNotBlank();

      operator.terminateCleanly();

      assertThat(client.leases().withName(ComponentProcess.OPERATOR_LEASE).get().getSpec()
          .getLeaseDurationSeconds()).as("released").isEqualTo(1);
      assertThat(operator.log()).contains("stopped: the reconciles in flight finished");
    } finally {
      ComponentProcess.dropFinalizer(ns, "team");
    }
  }
}
