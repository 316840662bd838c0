package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Enforce mode on a real API server: a Deployment a person applied (server-side, as {@code
 * kubectl}) gets the policy's fixes once, keeps the person's fields, keeps earlier fixes when a
 * later one comes, and is never touched in audit mode, in a system namespace, by a risky fix the
 * policy does not allow, by a patch the server's dry run refuses, or under {@code --dry-run}.
 * Reconciles run every second, so "changes nothing" is several cycles that changed nothing.
 */
@IntegrationTest
class WorkloadEnforcerIT {
  private static final Duration PATIENCE = TestingOperator.PATIENCE;
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private static final String REMEDIATION = """
      remediation:
        livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 10}
        readinessProbe: {httpGet: {path: /ready, port: 8080}}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "1", memory: 256Mi}
      """;

  private TestingOperator operator;
  private KubernetesClient client;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aDeploymentIsPatchedOnceAndThePersonsFieldsSurvive(TestingNamespace namespace) {
    start(namespace, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    applyAsKubectl("""
        resources: {limits: {cpu: 500m}}
        """);
    createPolicy("enforce", REMEDIATION);

    Deployment web = awaitDeployment(d -> annotation(d, Annotations.PATCHED_BY) != null);

    var app = web.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(app.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
    assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(app.getResources().getLimits().get("memory").toString()).isEqualTo("256Mi");
    assertThat(app.getResources().getRequests().get("memory").toString()).isEqualTo("128Mi");
    // a CPU limit is a CPU request too (pods default one to the other): nothing to add there
    assertThat(app.getResources().getRequests()).doesNotContainKey("cpu");
    // the person's limit is theirs: not overwritten by the policy's "1", still owned by kubectl
    assertThat(app.getResources().getLimits().get("cpu").toString()).isEqualTo("500m");
    assertThat(fieldsOf(web, "kubectl")).contains("\"f:cpu\"");
    assertThat(annotation(web, Annotations.PATCHED_BY)).isEqualTo(FieldManagers.ENFORCER);
    assertThat(annotation(web, Annotations.PATCHED_AT)).isNotBlank();
    assertThat(annotation(web, Annotations.PATCHED_CHECKS)).isEqualTo(
        "livenessProbeMissing,memoryLimitsMissing,memoryRequestsMissing,readinessProbeMissing");

    // idempotent: more reconciles, no second patch
    long generation = web.getMetadata().getGeneration();
    double reconciles = operator.counter(OperatorMetrics.RECONCILES_TOTAL);
    await().atMost(PATIENCE).until(() ->
        operator.counter(OperatorMetrics.RECONCILES_TOTAL) >= reconciles + 3);
    assertThat(deployment().getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(patched(namespace)).isEqualTo(1);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(reasons("web"))
        .contains(PolicyEventReason.WorkloadPatched.name()));
    assertThat(reasons("shop")).contains(PolicyEventReason.WorkloadPatched.name());
  }

  @Test
  void aLaterFixKeepsTheEarlierOnes(TestingNamespace namespace) {
    start(namespace, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    applyAsKubectl("");
    createPolicy("enforce", """
        remediation: {livenessProbe: {tcpSocket: {port: 8080}}}
        """);
    awaitDeployment(d -> container(d).getLivenessProbe() != null);

    // a merge patch, not an edit: no resourceVersion to conflict with the operator's status writes
    client.resources(DevOpsPolicy.class).withName("shop").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"remediation\":{\"resources\":{\"limits\":{\"memory\":\"256Mi\"}}}}}");

    Deployment web = awaitDeployment(d -> container(d).getResources().getLimits() != null
        && container(d).getResources().getLimits().containsKey("memory"));
    // server-side apply would have removed the probe had the second patch not carried it again
    assertThat(container(web).getLivenessProbe()).isNotNull();
    assertThat(annotation(web, Annotations.PATCHED_CHECKS))
        .isEqualTo("livenessProbeMissing,memoryLimitsMissing");
    // counted once the apply has returned, which may be just after the Deployment is seen
    await().atMost(PATIENCE).until(() -> patched(namespace) == 2);
  }

  @Test
  void aRiskyFixIsAppliedOnlyWhenThePolicyAllowsIt(TestingNamespace namespace) {
    start(namespace, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    applyAsKubectl("");
    createPolicy("enforce", """
        severityOverrides: {notReadOnlyRootFilesystem: medium}
        remediation:
          allowRiskyFixes: [runAsRootAllowed]
          livenessProbe: {tcpSocket: {port: 8080}}
        """);

    Deployment web = awaitDeployment(d -> annotation(d, Annotations.PATCHED_BY) != null);

    assertThat(container(web).getSecurityContext().getRunAsNonRoot()).isTrue();
    // risky, not allowed: privilege escalation and the read-only root filesystem stay unset
    assertThat(container(web).getSecurityContext().getAllowPrivilegeEscalation()).isNull();
    assertThat(container(web).getSecurityContext().getReadOnlyRootFilesystem()).isNull();
    assertThat(annotation(web, Annotations.PATCHED_CHECKS))
        .isEqualTo("livenessProbeMissing,runAsRootAllowed");
  }

  @Test
  void aPatchTheServerDryRunRefusesIsNotMade(TestingNamespace namespace) {
    start(namespace, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    // privileged: the API server refuses allowPrivilegeEscalation: false beside it
    applyAsKubectl("""
        securityContext: {privileged: true}
        """);
    createPolicy("enforce", """
        remediation:
          allowRiskyFixes: [privilegeEscalationAllowed]
          livenessProbe: {tcpSocket: {port: 8080}}
        """);

    await().atMost(PATIENCE).untilAsserted(() -> assertThat(reasons("shop"))
        .contains(PolicyEventReason.EnforcementRejected.name()));

    assertThat(annotation(deployment(), Annotations.PATCHED_BY)).isNull();
    assertThat(container(deployment()).getLivenessProbe()).isNull();
    assertThat(operator.counter(OperatorMetrics.ENFORCEMENT_FAILURES_TOTAL
        + "{namespace=\"" + namespace.name() + "\",reason=\"rejected\"}")).isPositive();
  }

  @Test
  void aFieldAnotherManagerOwnsIsLeftToIt(TestingNamespace namespace) {
    start(namespace, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    applyAsKubectl(""); // replicas: 1, kubectl's
    createPolicy("enforce", """
        remediation: {replicas: 3}
        """);

    await().atMost(PATIENCE).untilAsserted(() -> assertThat(reasons("web"))
        .contains(PolicyEventReason.FixLeftToOwner.name()));

    assertThat(deployment().getSpec().getReplicas()).isEqualTo(1);
    assertThat(annotation(deployment(), Annotations.PATCHED_BY)).isNull();
    assertThat(patched(namespace)).isZero();
  }

  @Test
  void auditModeNeverPatches(TestingNamespace namespace) {
    start(namespace, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    applyAsKubectl("");
    createPolicy("audit", REMEDIATION);

    assertNothingPatchedOverSeveralReconciles(namespace);
  }

  @Test
  void aSystemNamespaceIsNeverPatched(TestingNamespace namespace) {
    Set<String> system = new HashSet<>(EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    system.add(namespace.name());
    start(namespace, false, system);
    applyAsKubectl("");
    createPolicy("enforce", REMEDIATION);

    assertNothingPatchedOverSeveralReconciles(namespace);
  }

  @Test
  void aDryRunOperatorCountsThePatchesItWouldMakeAndMakesNone(TestingNamespace namespace) {
    start(namespace, true, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    applyAsKubectl("");
    createPolicy("enforce", REMEDIATION);

    await().atMost(PATIENCE).until(() -> patched(namespace) >= 2);

    Deployment web = deployment();
    assertThat(annotation(web, Annotations.PATCHED_BY)).isNull();
    assertThat(container(web).getLivenessProbe()).isNull();
  }

  private void start(TestingNamespace namespace, boolean dryRun, Set<String> system) {
    client = namespace.client();
    operator = TestingOperator.start(client, namespace.name(), RESYNC, dryRun, system);
  }

  private void assertNothingPatchedOverSeveralReconciles(TestingNamespace namespace) {
    await().atMost(PATIENCE).until(() -> operator.counter(OperatorMetrics.RECONCILES_TOTAL) >= 3);
    Deployment web = deployment();
    assertThat(annotation(web, Annotations.PATCHED_BY)).isNull();
    assertThat(container(web).getLivenessProbe()).isNull();
    assertThat(web.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(patched(namespace)).isZero();
  }

  /** The Deployment {@code web}, applied server-side as {@code kubectl} with these container fields. */
  private void applyAsKubectl(String containerFields) {
    String fields = containerFields.strip().lines().map(line -> "\n        " + line)
        .reduce("", String::concat);
    Deployment deployment = Serialization.unmarshal("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: app
                image: registry.example.com/web:1.4.2%s
        """.formatted(fields), Deployment.class);
    client.apps().deployments().resource(deployment).fieldManager("kubectl").forceConflicts()
        .serverSideApply();
  }

  private void createPolicy(String mode, String rest) {
    TestingObjects.create(client, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop}
        spec:
          bundle: baseline
          enforcementMode: %s
        %s""".formatted(mode, rest.strip().lines().map(l -> "  " + l)
        .reduce("", (a, b) -> a + b + "\n")));
  }

  private Deployment deployment() {
    return client.apps().deployments().withName("web").get();
  }

  private Deployment awaitDeployment(java.util.function.Predicate<Deployment> test) {
    return await().atMost(PATIENCE).until(this::deployment, test);
  }

  private static io.fabric8.kubernetes.api.model.Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String annotation(Deployment d, String key) {
    return d.getMetadata().getAnnotations() == null ? null
        : d.getMetadata().getAnnotations().get(key);
  }

  private static String fieldsOf(Deployment d, String manager) {
    return d.getMetadata().getManagedFields().stream()
        .filter(e -> manager.equals(e.getManager())).map(ManagedFieldsEntry::getFieldsV1)
        .map(Serialization::asJson).reduce("", String::concat);
  }

  private List<String> reasons(String involvedName) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason).toList();
  }

  private double patched(TestingNamespace namespace) {
    return operator.counter(OperatorMetrics.WORKLOADS_PATCHED_TOTAL
        + "{namespace=\"" + namespace.name() + "\"}");
  }
}
