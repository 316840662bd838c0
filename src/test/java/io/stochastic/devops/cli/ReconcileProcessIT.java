package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as the process a pod runs ({@code bin/kube-devops reconcile} over the packaged
 * jar): it takes the Lease kube-devops-operator, writes a policy's status, serves its metrics,
 * and on SIGTERM releases the Lease and exits 0.
 */
@IntegrationTest
class ReconcileProcessIT {
  private static final Pattern PORT = Pattern.compile("/metrics on port (\\d+)");

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
    Path log = dir.resolve("reconcile.log");
    Process operator = new ProcessBuilder("bin/kube-devops", "reconcile",
        "--kubeconfig", ns.kubeconfig().toString(), "-n", ns.name(), "--metrics-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(DevOpsPolicy.class)
          .withName("team").get().getStatus() != null);
      Matcher port = PORT.matcher(Files.readString(log));
      assertThat(port.find()).as(Files.readString(log)).isTrue();
      HttpRequest scrape = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build();
      assertThat(HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString())
          .body()).contains(OperatorMetrics.POLICY_HEALTH_SCORE + "{namespace=\"" + ns.name()
              + "\",policy=\"team\"} 100.0");
      Lease held = client.leases().withName("kube-devops-operator").get();
      assertThat(held.getSpec().getHolderIdentity()).isNotBlank();

      operator.destroy(); // SIGTERM

      assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      assertThat(operator.exitValue()).as(Files.readString(log)).isZero();
      assertThat(client.leases().withName("kube-devops-operator").get().getSpec()
          .getLeaseDurationSeconds()).as("released").isEqualTo(1);
      assertThat(Files.readString(log)).contains("stopped: the reconciles in flight finished");
    } finally {
      operator.destroyForcibly();
      // no operator is left to run the finalizer: drop it, so the namespace can go
      client.resources(DevOpsPolicy.class).withName("team").edit(p -> {
        p.getMetadata().setFinalizers(List.of());
        return p;
      });
    }
  }
}
