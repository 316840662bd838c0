package io.stochastic.devops.auditor;

import static io.stochastic.devops.auditor.AuditFixtures.AUDIT_TIME;
import static io.stochastic.devops.auditor.AuditFixtures.audit;
import static io.stochastic.devops.auditor.AuditFixtures.error;
import static io.stochastic.devops.auditor.AuditFixtures.fail;
import static io.stochastic.devops.auditor.AuditFixtures.pass;
import static io.stochastic.devops.auditor.AuditFixtures.sample;
import static io.stochastic.devops.auditor.AuditFixtures.subject;
import static io.stochastic.devops.auditor.AuditFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stochastic.devops.auditor.PolicyReportWriter.Limits;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PolicyReport of a namespace: Kyverno's conventions, our order and our bounds. */
class PolicyReportWriterTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void mapsEveryCheckResultToAResult() {
    GenericKubernetesResource report = PolicyReportWriter.reportFor("shop", "payments",
        sample("shop"), AUDIT_TIME, Limits.DEFAULT);

    assertThat(SERIALIZATION.asYaml(report)).isEqualTo("""
        ---
        apiVersion: "wgpolicyk8s.io/v1alpha2"
        kind: "PolicyReport"
        metadata:
          labels:
            app.kubernetes.io/managed-by: "kube-devops"
          name: "kube-devops-shop"
          namespace: "shop"
        summary:
          pass: 2
          fail: 3
          warn: 0
          error: 0
          skip: 0
        results:
        - policy: "payments"
          rule: "runAsRootAllowed"
          result: "fail"
          severity: "critical"
          category: "reliability"
          message: "Container nginx may run as root"
          resources:
          - apiVersion: "apps/v1"
            kind: "Deployment"
            name: "web"
            namespace: "shop"
            uid: "uid-web"
          properties:
            container: "nginx"
          source: "kube-devops"
          timestamp:
            seconds: 1795341600
            nanos: 250000000
          scored: true
        - policy: "payments"
          rule: "tagNotSpecified"
          result: "fail"
          severity: "high"
          category: "reliability"
          message: "Image app:latest has no tag"
          resources:
          - apiVersion: "apps/v1"
            kind: "Deployment"
            name: "api"
            namespace: "shop"
            uid: "uid-api"
          properties:
            container: "app"
          source: "kube-devops"
          timestamp:
            seconds: 1795341600
            nanos: 250000000
          scored: true
        - policy: "payments"
          rule: "livenessProbeMissing"
          result: "fail"
          severity: "medium"
          category: "reliability"
          message: "Container nginx has no liveness probe"
          resources:
          - apiVersion: "apps/v1"
            kind: "Deployment"
            name: "web"
            namespace: "shop"
            uid: "uid-web"
          properties:
            container: "nginx"
          source: "kube-devops"
          timestamp:
            seconds: 1795341600
            nanos: 250000000
          scored: true
        - policy: "payments"
          rule: "livenessProbeMissing"
          result: "pass"
          severity: "medium"
          category: "efficiency"
          message: "livenessProbeMissing passed"
          resources:
          - apiVersion: "v1"
            kind: "Pod"
            name: "job"
            namespace: "shop"
          properties:
            container: "main"
          source: "kube-devops"
          timestamp:
            seconds: 1795341600
            nanos: 250000000
          scored: true
        - policy: "payments"
          rule: "cpuLimitsMissing"
          result: "pass"
          severity: "low"
          category: "efficiency"
          message: "cpuLimitsMissing passed"
          resources:
          - apiVersion: "apps/v1"
            kind: "Deployment"
            name: "web"
            namespace: "shop"
            uid: "uid-web"
          properties:
            container: "nginx"
          source: "kube-devops"
          timestamp:
            seconds: 1795341600
            nanos: 250000000
          scored: true
        """);
  }

  @Test
  void aCheckThatCouldNotBeEvaluatedIsAnError() {
    AuditResult audit = audit(subject(workload("Deployment", "shop", "web", null),
        error("custom", Severity.LOW, "cannot evaluate"), fail("f", Severity.LOW, null, "m"),
        pass("p", Severity.LOW, null)));

    GenericKubernetesResource report =
        PolicyReportWriter.reportFor("shop", "baseline", audit, AUDIT_TIME, Limits.DEFAULT);

    assertThat(report.<Object>get("summary"))
        .isEqualTo(Map.of("pass", 1, "fail", 1, "warn", 0, "error", 1, "skip", 0));
    assertThat(results(report)).extracting(r -> r.get("rule") + "=" + r.get("result"))
        .containsExactly("custom=error", "f=fail", "p=pass");
  }

  @Test
  void everySeverityIsAValueOfTheCrdEnum() {
    List<String> crdEnum = List.of("critical", "high", "low", "medium", "info");
    for (Severity severity : EnumSet.allOf(Severity.class)) {
      assertThat(PolicyReportWriter.severity(severity)).isIn(crdEnum).isEqualTo(severity.id());
    }
  }

  @Test
  void theCapDropsPassesBeforeFailuresAndSaysHowManyWereLeftOut() {
    GenericKubernetesResource report = PolicyReportWriter.reportFor("shop", "payments",
        sample("shop"), AUDIT_TIME, Limits.DEFAULT.withMaxResults(3));

    assertThat(results(report)).extracting(r -> r.get("result")).containsOnly("fail").hasSize(3);
    assertThat(report.getMetadata().getAnnotations())
        .containsExactly(Map.entry("devops.stochastic.io/results-omitted", "2"));
    assertThat(report.<Integer>get("summary", "pass")).as("the summary counts all").isEqualTo(2);
  }

  @Test
  void anUncappedReportHasNoOmittedAnnotation() {
    GenericKubernetesResource report = PolicyReportWriter.reportFor("shop", "payments",
        sample("shop"), AUDIT_TIME, Limits.DEFAULT);

    assertThat(report.getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void theReportStaysWithinTheByteBudgetWhateverTheResults() {
    List<CheckResult> results = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      results.add(fail("check" + i, Severity.values()[i % 4], "c".repeat(63),
          "\u20AC".repeat(3000)));
    }
    AuditResult audit = new AuditResult(List.of(new SubjectResult(
        workload("Deployment", "shop", "n".repeat(253), "u"), results)), 0, 0);

    GenericKubernetesResource report =
        PolicyReportWriter.reportFor("shop", "p", audit, AUDIT_TIME, Limits.DEFAULT);

    assertThat(SERIALIZATION.asJson(report).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(512 * 1024 + 1024);
    assertThat(results(report)).isNotEmpty().allSatisfy(r ->
        assertThat(r.get("message").toString().codePointCount(0,
            r.get("message").toString().length())).isEqualTo(512));
    assertThat(results(report).get(0).get("severity")).isEqualTo("critical");
  }

  @Test
  void refusesResultsOfAnotherNamespace() {
    AuditResult audit = audit(subject(workload("Deployment", "other", "web", null)));

    assertThatThrownBy(() -> PolicyReportWriter.reportFor("shop", "p", audit, AUDIT_TIME,
        Limits.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Deployment/other/web");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> results(GenericKubernetesResource report) {
    return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
  }
}
