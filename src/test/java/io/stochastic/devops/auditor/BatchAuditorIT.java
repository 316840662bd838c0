package io.stochastic.devops.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.testing.TestingPushgateway;
import io.stochastic.devops.v1.PolicyAuditResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kube-devops auditor run} end to end on a real API server (with its controller manager)
 * and a real Pushgateway, in-process: results, history, garbage collection, PolicyReports,
 * metrics, partial failures, and a run as the CronJob's own ServiceAccount with the ClusterRole
 * of {@code cronjobs/auditor-rbac.yaml}.
 */
@IntegrationTest
class BatchAuditorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext REPORTS = new ResourceDefinitionContext.Builder()
      .withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind("PolicyReport")
      .withPlural("policyreports").withNamespaced(true).build();

  @BeforeAll
  static void installPolicyReportCrd(TestingApiServer server) throws IOException {
    PolicyReportWriterIT.installPolicyReportCrd(server);
  }

  static void policy(KubernetesClient client, String name) {
    TestingObjects.create(client, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: %s}
        spec: {bundle: baseline, maxRestartCount: 3}
        """.formatted(name));
  }

  private static List<PolicyAuditResult> results(KubernetesClient client) {
    return client.resources(PolicyAuditResult.class).list().getItems();
  }

  private static io.stochastic.devops.TestUtils.CliRun run(TestingNamespace ns, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(new String[] {"auditor", "run", "--kubeconfig",
        ns.kubeconfig().toString()}, 0, all, 0, 4);
    System.arraycopy(args, 0, all, 4, args.length);
    return TestUtils.cli(all);
  }

  @Test
  void writesAResultPerPolicyAReportPerNamespaceAndPushesTheScores(TestingNamespace ns,
      TestingPushgateway gateway) throws Exception {
    KubernetesClient client = ns.client();
    policy(client, "payments");
    TestingObjects.runningPod(client, "cache", 7);

    var run = run(ns, "--cluster-name", "prod-eu", "--write-results", "--policy-reports",
        "--push-gateway", gateway.address(), "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode out = JSON.readTree(run.out());
    assertThat(out.get("resultsWritten").asInt()).isEqualTo(1);
    assertThat(out.get("pushed").asBoolean()).isTrue();
    assertThat(run.err()).containsPattern("listed \\d+ objects in [\\d.]+ s, judged in");

    PolicyAuditResult result = results(client).get(0);
    assertThat(result.getMetadata().getLabels())
        .containsEntry("devops.stochastic.io/policy", "payments");
    assertThat(result.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("payments"));
    assertThat(result.getSpec().getCluster()).isEqualTo("prod-eu");
    assertThat(result.getSpec().getSummary().getWorkloads()).isEqualTo(1L);
    assertThat(result.getSpec().getFindings()).anySatisfy(f ->
        assertThat(f.getCheck()).isEqualTo("restartCountTooHigh"));

    GenericKubernetesResource report = client.genericKubernetesResources(REPORTS)
        .withName(PolicyReportWriter.reportName(ns.name())).get();
    assertThat(report).isNotNull();

    String metrics = gateway.metrics();
    assertThat(metrics)
        .containsPattern("kube_devops_auditor_namespace_score\\{[^}]*cluster=\"prod-eu\""
            + "[^}]*namespace=\"" + ns.name() + "\"[^}]*policy=\"payments\"[^}]*} \\d+")
        .contains("kube_devops_auditor_check_violations{")
        .contains("check=\"restartCountTooHigh\"")
        .contains("kube_devops_auditor_last_success_timestamp_seconds{");
  }

  @Test
  void keepsTheNewestResultsAndTheControllerManagerCollectsThemWithThePolicy(
      TestingNamespace ns) {
    KubernetesClient client = ns.client();
    policy(client, "shop");
    TestingObjects.runningPod(client, "cache", 0);
    for (int i = 0; i < 4; i++) {
      // One run a quarter of an hour, as the CronJob runs.
      var run = TestUtils.cliAt(java.time.Clock.offset(TestUtils.CLOCK, Duration.ofMinutes(15L * i)),
          "", "auditor", "run", "--kubeconfig", ns.kubeconfig().toString(), "--write-results",
          "--history-limit", "2");
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    assertThat(results(client)).hasSize(2);

    client.genericKubernetesResources(io.stochastic.devops.kube.ApiResources.DEVOPS_POLICY)
        .withName("shop").delete();
    await("PolicyAuditResults garbage-collected with their policy")
        .atMost(Duration.ofSeconds(60)).until(() -> results(client).isEmpty());
  }

  @Test
  void aDeadPushgatewayStillLetsTheResultsBeWrittenAndFailsTheRun(TestingNamespace ns)
      throws Exception {
    KubernetesClient client = ns.client();
    policy(client, "shop");
    TestingObjects.runningPod(client, "cache", 0);
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort(); // closed again: nothing listens there
    }

    var run = run(ns, "--write-results", "--push-gateway", "127.0.0.1:" + closed);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(results(client)).hasSize(1);
    assertThat(run.err()).contains("error: cannot push metrics to the Pushgateway at 127.0.0.1:"
        + closed).doesNotContain("Exception");
    assertThat(run.out()).contains("1 PolicyAuditResults written");
  }

  @Test
  void aResultThatCannotBeWrittenStillLetsTheMetricsGoOut(TestingNamespace ns,
      TestingPushgateway gateway) throws Exception {
    KubernetesClient client = ns.client();
    policy(client, "shop");
    // A ValidatingAdmissionPolicy refusing PolicyAuditResults in this namespace: the API
    // server denies the write, as an admission controller of a real cluster might.
    String name = "deny-results-" + ns.name();
    TestingObjects.create(client, """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %1$s}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [devops.stochastic.io]
                apiVersions: ["*"]
                operations: [CREATE]
                resources: [policyauditresults]
          validations:
            - expression: "false"
              message: results are not accepted in this namespace
        ---
        """.formatted(name).replace("---\n", ""));
    TestingObjects.create(client, """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: %1$s}
        spec:
          policyName: %1$s
          validationActions: [Deny]
          matchResources:
            namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %2$s}}
        """.formatted(name, ns.name()));
    var policyObject = client.resources(io.stochastic.devops.v1.DevOpsPolicy.class)
        .withName("shop").get();
    PolicyAuditResult probe = PolicyAuditResultWriter.resultFor(policyObject,
        new io.stochastic.devops.engine.result.AuditResult(List.of(), 0, 0), "probe",
        TestUtils.NOW, PolicyAuditResultWriter.Limits.DEFAULT);
    await("the admission policy in force").atMost(Duration.ofSeconds(30)).until(() -> {
      try {
        client.resource(probe).dryRun().create();
        return false;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        return true;
      }
    });
    try {
    var run = run(ns, "--cluster-name", "quota", "--write-results", "--push-gateway",
        gateway.address());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("error: writing PolicyAuditResult " + ns.name())
        .contains("results are not accepted in this namespace").doesNotContain("Exception");
    assertThat(gateway.metrics())
        .containsPattern("kube_devops_auditor_result_write_failures\\{[^}]*cluster=\"quota\""
            + "[^}]*} 1");
    } finally {
      ns.server().client().resources(
          io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding.class)
          .withName(name).delete();
      ns.server().client().resources(
          io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class)
          .withName(name).delete();
    }
  }

  @Test
  void runsAsTheCronJobsServiceAccountWithExactlyItsClusterRole(TestingNamespace ns,
      TestingPushgateway gateway, @TempDir Path dir) throws Exception {
    KubernetesClient admin = ns.client();
    policy(admin, "shop");
    TestingObjects.runningPod(admin, "cache", 0);
    Path kubeconfig = TestingObjects.serviceAccountKubeconfig(ns, "auditor",
        dir.resolve("auditor.yaml"));
    ClusterRole role;
    try (InputStream in = Files.newInputStream(Path.of("cronjobs/auditor-rbac.yaml"))) {
      role = admin.load(in).items().stream().filter(ClusterRole.class::isInstance)
          .map(ClusterRole.class::cast).findFirst().orElseThrow();
    }
    String roleName = "auditor-" + ns.name();
    role.getMetadata().setName(roleName);
    admin.rbac().clusterRoles().resource(role).create();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName(roleName).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", roleName)
        .addNewSubject().withKind("ServiceAccount").withName("auditor")
        .withNamespace(ns.name()).endSubject().build()).create();
    try {
      var run = TestUtils.cli("auditor", "run", "-A", "--kubeconfig", kubeconfig.toString(),
          "--cluster-name", "rbac", "--write-results", "--policy-reports", "--bundle",
          "restricted", "--push-gateway", gateway.address());

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).doesNotContain("forbidden");
      assertThat(results(admin)).isNotEmpty();
    } finally {
      admin.rbac().clusterRoleBindings().withName(roleName).delete();
      admin.rbac().clusterRoles().withName(roleName).delete();
    }
  }
}
