package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.DevOpsPolicyStatus;
import io.stochastic.devops.v1.devopspolicystatus.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against a real API server with the controller manager: the status follows the
 * namespace (a pod's restarts written through /status, a Deployment's new Pending pods), is not
 * written when nothing changed, and a deleted policy's finalizer removes its metric series.
 */
@IntegrationTest
class DevOpsPolicyReconcilerIT {
  private static final Duration PATIENCE = TestingOperator.PATIENCE;

  private TestingOperator operator;
  private KubernetesClient client;

  private void start(TestingNamespace namespace, Duration resync) {
    client = namespace.client();
    operator = TestingOperator.start(client, namespace.name(), resync);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aPolicyGetsItsStatusAndAViolationsFoundEvent(TestingNamespace namespace) {
    start(namespace, Duration.ofSeconds(30));
    createDeployment("nginx:latest");
    createPolicy("{bundle: baseline}");

    DevOpsPolicyStatus status = awaitStatus(s -> s.getEvaluatedWorkloads() != null
        && s.getEvaluatedWorkloads() == 1);

    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getViolations()).isPositive();
    assertThat(status.getHealthScore()).isBetween(0, 99);
    assertThat(status.getClassification()).isNotNull();
    assertThat(status.getLastEvaluated()).isNotNull();
    assertThat(condition(status, PolicyStatuses.READY).getStatus())
        .isEqualTo(Conditions.Status.TRUE);
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getReason())
        .isEqualTo("ViolationsFound");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(client.v1().events().list()
        .getItems()).extracting(Event::getReason).contains("ViolationsFound"));
    // the gauge follows the status: a later reconcile (the Deployment's own status changing)
    // may move both between the two reads, so they are compared as they settle
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(exposition()).contains(
        OperatorMetrics.POLICY_HEALTH_SCORE + "{namespace=\"" + namespace.name()
            + "\",policy=\"shop\"} " + client.resources(DevOpsPolicy.class).withName("shop")
            .get().getStatus().getHealthScore() + ".0"));
  }

  @Test
  void aRestartCountWrittenThroughStatusShowsAsAViolation(TestingNamespace namespace) {
    start(namespace, Duration.ofSeconds(30));
    Pod pod = TestingObjects.runningPod(client, "cache", 0);
    createPolicy("{bundle: baseline, maxRestartCount: 3,"
        + " severityOverrides: {restartCountTooHigh: critical}}");
    awaitStatus(s -> s.getViolationsBySeverity() != null
        && s.getViolationsBySeverity().getCritical() == 0);

    pod = client.pods().withName("cache").get();
    pod.getStatus().getContainerStatuses().get(0).setRestartCount(5);
    client.pods().resource(pod).updateStatus();

    DevOpsPolicyStatus status = awaitStatus(s -> s.getViolationsBySeverity().getCritical() == 1);
    assertThat(status.getMessage()).contains("1 critical");
  }

  @Test
  void aScaledUpDeploymentsNewPendingPodsAreCounted(TestingNamespace namespace) {
    // Pods stay Pending (no scheduler); with a threshold of 0 s each counts once it is 1 s old.
    start(namespace, Duration.ofSeconds(1));
    createPolicy("{bundle: baseline, forbidPendingDuration: 0,"
        + " severityOverrides: {pendingTooLong: critical}}");
    createDeployment("nginx:1.27");
    awaitStatus(s -> s.getViolationsBySeverity() != null
        && s.getViolationsBySeverity().getCritical() == 1);

    client.apps().deployments().withName("web").scale(3);

    DevOpsPolicyStatus status = awaitStatus(s -> s.getViolationsBySeverity().getCritical() == 3);
    assertThat(status.getEvaluatedWorkloads()).isEqualTo(1);
  }

  @Test
  void theStatusIsNotWrittenWhenNothingChanged(TestingNamespace namespace) {
    start(namespace, Duration.ofSeconds(1));
    createPolicy("{bundle: baseline}");
    awaitStatus(s -> s.getObservedGeneration() != null);
    String version = client.resources(DevOpsPolicy.class).withName("shop").get().getMetadata()
        .getResourceVersion();
    double reconciles = counter(OperatorMetrics.RECONCILES_TOTAL);

    // Several resyncs pass (1 s apart) and none of them writes.
    await().atMost(PATIENCE).until(() -> counter(OperatorMetrics.RECONCILES_TOTAL)
        >= reconciles + 3);

    assertThat(client.resources(DevOpsPolicy.class).withName("shop").get().getMetadata()
        .getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aSpecChangeIsObservedUnderItsNewGeneration(TestingNamespace namespace) {
    start(namespace, Duration.ofSeconds(30));
    createPolicy("{bundle: baseline}");
    awaitStatus(s -> Long.valueOf(1).equals(s.getObservedGeneration()));

    client.resources(DevOpsPolicy.class).withName("shop")
        .edit(p -> {
          p.getSpec().setMaxRestartCount(5);
          return p;
        });

    DevOpsPolicyStatus status = awaitStatus(s -> Long.valueOf(2).equals(
        s.getObservedGeneration()));
    assertThat(condition(status, PolicyStatuses.READY).getObservedGeneration()).isEqualTo(2L);
    // evaluated, not refused: the policy read back with its status (lastEvaluated) is valid
    assertThat(condition(status, PolicyStatuses.READY).getStatus())
        .isEqualTo(Conditions.Status.TRUE);
  }

  @Test
  void aPolicyWhoseCustomCheckDoesNotCompileSaysSoInReady(TestingNamespace namespace) {
    start(namespace, Duration.ofSeconds(30));
    createPolicy("{bundle: baseline, customChecks: [{id: teamLabelMissing, target: workload,"
        + " severity: low, expression: \"object.metadata.labels.team ==\","
        + " message: \"no team\"}]}");

    DevOpsPolicyStatus status = awaitStatus(s -> s.getConditions() != null);

    assertThat(condition(status, PolicyStatuses.READY).getStatus())
        .isEqualTo(Conditions.Status.FALSE);
    assertThat(condition(status, PolicyStatuses.READY).getReason()).isEqualTo("InvalidPolicy");
    assertThat(condition(status, PolicyStatuses.READY).getMessage()).contains("teamLabelMissing");
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getStatus())
        .isEqualTo(Conditions.Status.UNKNOWN);
    assertThat(status.getHealthScore()).isNull();
  }

  @Test
  void deletingAPolicyRemovesItsMetricSeries(TestingNamespace namespace) {
    start(namespace, Duration.ofSeconds(30));
    createPolicy("{bundle: baseline}");
    awaitStatus(s -> s.getHealthScore() != null);
    String series = "{namespace=\"" + namespace.name() + "\",policy=\"shop\"}";
    assertThat(client.resources(DevOpsPolicy.class).withName("shop").get().getMetadata()
        .getFinalizers()).isNotEmpty();
    await().atMost(PATIENCE).until(() -> exposition().contains(
        OperatorMetrics.POLICY_VIOLATIONS + series));

    client.resources(DevOpsPolicy.class).withName("shop").delete();

    await().atMost(PATIENCE).until(() ->
        client.resources(DevOpsPolicy.class).withName("shop").get() == null);
    assertThat(exposition()).doesNotContain(OperatorMetrics.POLICY_VIOLATIONS + series)
        .doesNotContain(OperatorMetrics.POLICY_HEALTH_SCORE + series);
  }

  /** Creates the DevOpsPolicy {@code shop} with {@code spec} (flow-style YAML). */
  private void createPolicy(String spec) {
    TestingObjects.create(client, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop}
        spec: %s
        """.formatted(spec));
  }

  private void createDeployment(String image) {
    TestingObjects.deployment(client, image);
  }

  private DevOpsPolicyStatus awaitStatus(java.util.function.Predicate<DevOpsPolicyStatus> test) {
    return await().atMost(PATIENCE).until(
        () -> client.resources(DevOpsPolicy.class).withName("shop").get().getStatus(),
        status -> status != null && test.test(status));
  }

  private static Conditions condition(DevOpsPolicyStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  private double counter(String name) {
    return operator.counter(name);
  }

  private String exposition() {
    return operator.exposition();
  }
}
