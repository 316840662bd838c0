package io.stochastic.devops.auditor;

import static io.stochastic.devops.auditor.AuditFixtures.AUDIT_TIME;
import static io.stochastic.devops.auditor.AuditFixtures.audit;
import static io.stochastic.devops.auditor.AuditFixtures.fail;
import static io.stochastic.devops.auditor.AuditFixtures.sample;
import static io.stochastic.devops.auditor.AuditFixtures.subject;
import static io.stochastic.devops.auditor.AuditFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.auditor.PolicyReportWriter.Limits;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PolicyReports written to a real API server with the wgpolicyk8s.io CRD installed. */
@IntegrationTest
class PolicyReportWriterIT {
  /**
   * The third-party CRDs sit beside the repository (CI copies {@code shared/} to
   * {@code ../shared}), so the path is relative to the working directory, the repository root.
   */
  static final Path POLICY_REPORT_CRD =
      Path.of("../shared/thirdparty-crds/policy-report/wgpolicyk8s.io_policyreports.yaml");

  private final List<Duration> slept = new ArrayList<>();
  private final WriteRetry retry = WriteRetry.defaults().withSleeper(slept::add);

  @BeforeAll
  static void installPolicyReportCrd(TestingApiServer server) throws IOException {
    if (!Files.isRegularFile(POLICY_REPORT_CRD)) {
      throw new IllegalStateException("PolicyReport CRD not found at "
          + POLICY_REPORT_CRD.toAbsolutePath().normalize() + ": these tests expect shared/ at"
          + " ../shared relative to the repository root (the working directory)");
    }
    KubernetesClient admin = server.client();
    try (InputStream in = Files.newInputStream(POLICY_REPORT_CRD)) {
      for (HasMetadata item : admin.load(in).items()) {
        CustomResourceDefinition crd = (CustomResourceDefinition) item;
        admin.resource(crd).fieldManager(TestingApiServer.FIELD_MANAGER).forceConflicts()
            .serverSideApply();
        admin.apiextensions().v1().customResourceDefinitions()
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(PolicyReportWriterIT::established, 60, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * {@link TestingApiServer#established} without its assumption that a status has conditions:
   * this CRD's status is first seen without any.
   */
  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && TestingApiServer.established(crd);
  }

  @Test
  void theReportIsCreatedThenReplacedNotDuplicated(KubernetesClient client) {
    String ns = client.getNamespace();
    PolicyReportWriter writer = writer(client, Limits.DEFAULT);

    GenericKubernetesResource first = writer.write(ns, "payments", sample(ns), AUDIT_TIME);

    GenericKubernetesResource stored = onlyReport(client);
    assertThat(stored.getMetadata().getName()).isEqualTo("kube-devops-" + ns);
    assertThat(stored.getMetadata().getLabels())
        .containsExactly(Map.entry("app.kubernetes.io/managed-by", "kube-devops"));
    GenericKubernetesResource desired =
        PolicyReportWriter.reportFor(ns, "payments", sample(ns), AUDIT_TIME, Limits.DEFAULT);
    // Compared as JSON data: what was sent, as the server stored it.
    assertThat(stored.<Object>get("results")).isEqualTo(client.getKubernetesSerialization()
        .unmarshal(client.getKubernetesSerialization().asJson(desired.get("results")),
            List.class));
    assertThat(stored.<Object>get("summary"))
        .isEqualTo(Map.of("pass", 2, "fail", 3, "warn", 0, "error", 0, "skip", 0));
    assertThat(stored.<Object>get("results", 0, "timestamp"))
        .isEqualTo(Map.of("seconds", 1795341600, "nanos", 250000000));

    AuditResult later = audit(subject(workload("Deployment", ns, "web", "uid-web"),
        fail("readinessProbeMissing", Severity.HIGH, "nginx", "no readiness probe")));
    writer.write(ns, "payments", later, AUDIT_TIME.plusSeconds(3600));

    GenericKubernetesResource replaced = onlyReport(client);
    assertThat(replaced.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(replaced.<List<?>>get("results")).hasSize(1);
    assertThat(replaced.<Object>get("results", 0, "rule")).isEqualTo("readinessProbeMissing");
    assertThat(replaced.<Object>get("summary"))
        .isEqualTo(Map.of("pass", 0, "fail", 1, "warn", 0, "error", 0, "skip", 0));
    assertThat(replaced.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("kube-devops-auditor", "Apply"));
    assertThat(slept).isEmpty();
  }

  @Test
  void theOmittedAnnotationComesAndGoesWithTheCap(KubernetesClient client) {
    String ns = client.getNamespace();

    writer(client, Limits.DEFAULT.withMaxResults(2)).write(ns, "p", sample(ns), AUDIT_TIME);
    GenericKubernetesResource capped = onlyReport(client);
    assertThat(capped.getMetadata().getAnnotations())
        .containsEntry("devops.stochastic.io/results-omitted", "3");
    assertThat(capped.<List<?>>get("results")).hasSize(2);

    writer(client, Limits.DEFAULT).write(ns, "p", sample(ns), AUDIT_TIME);
    GenericKubernetesResource whole = onlyReport(client);
    assertThat(whole.getMetadata().getAnnotations())
        .doesNotContainKey("devops.stochastic.io/results-omitted");
    assertThat(whole.<List<?>>get("results")).hasSize(5);
  }

  @Test
  void staleReportsOfNamespacesNoLongerAuditedAreDeleted(TestingApiServer server,
      KubernetesClient client) throws IOException {
    String ns = client.getNamespace();
    PolicyReportWriter writer = writer(client, Limits.DEFAULT);
    try (TestingNamespace gone = server.createNamespace("stale-report")) {
      writer.write(ns, "p", sample(ns), AUDIT_TIME);
      writer.write(gone.name(), "p", sample(gone.name()), AUDIT_TIME);
      // Someone else's report in the namespace: not ours to delete.
      GenericKubernetesResource foreign = PolicyReportWriter.reportFor(gone.name(), "x",
          audit(), AUDIT_TIME, Limits.DEFAULT);
      foreign.getMetadata().setName("kyverno-report");
      foreign.getMetadata().setLabels(Map.of("app.kubernetes.io/managed-by", "kyverno"));
      client.genericKubernetesResources(PolicyReportWriter.REPORTS).inNamespace(gone.name())
          .resource(foreign).create();

      List<String> deleted = writer.deleteStale(List.of(ns));

      assertThat(deleted).contains(gone.name() + "/kube-devops-" + gone.name())
          .doesNotContain(ns + "/kube-devops-" + ns);
      assertThat(reports(client, gone.name())).containsExactly("kyverno-report");
      assertThat(reports(client, ns)).containsExactly("kube-devops-" + ns);
    }
  }

  @Test
  void aForbiddenWriteFailsAtOnceWithOneLineNamingTheReport(TestingNamespace namespace) {
    String ns = namespace.name();
    KubernetesClient mallory = namespace.clientAs("mallory");

    assertThatThrownBy(() -> writer(mallory, Limits.DEFAULT).write(ns, "p", sample(ns),
        Instant.now()))
        .isInstanceOfSatisfying(ClusterRequestException.class, e -> {
          assertThat(e.code()).isEqualTo(403);
          assertThat(e.getMessage())
              .startsWith("writing PolicyReport " + ns + "/kube-devops-" + ns + ": ")
              .contains("User \"mallory\" cannot patch resource \"policyreports\"")
              .endsWith("(403)")
              .doesNotContain("\n", "Exception", "io.fabric8");
        });
    assertThat(slept).isEmpty();
  }

  private PolicyReportWriter writer(KubernetesClient client, Limits limits) {
    return new PolicyReportWriter(client, limits, retry);
  }

  private static GenericKubernetesResource onlyReport(KubernetesClient client) {
    List<GenericKubernetesResource> items = client.genericKubernetesResources(
        PolicyReportWriter.REPORTS).inNamespace(client.getNamespace()).list().getItems();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static List<String> reports(KubernetesClient client, String namespace) {
    return client.genericKubernetesResources(PolicyReportWriter.REPORTS).inNamespace(namespace)
        .list().getItems().stream().map(r -> r.getMetadata().getName()).toList();
  }
}
