package io.stochastic.devops.auditor;

import static io.stochastic.devops.engine.Severity.CRITICAL;
import static io.stochastic.devops.engine.Severity.HIGH;
import static io.stochastic.devops.engine.Severity.LOW;
import static io.stochastic.devops.engine.Severity.MEDIUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stochastic.devops.auditor.AuditRunSummary.CheckViolations;
import io.stochastic.devops.auditor.AuditRunSummary.NamespaceSummary;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditRunSummaryTest {
  private static final Instant FINISHED = Instant.parse("2026-12-02T10:00:00Z");

  /**
   * Two Deployments and a Role (a subject that is not a workload), one exempt workload.
   * Weights: web passes 2 + 10 of 22, api 5 + 10 of 17 (its liveness check errored), the Role
   * 0 of 1: 27 of 40, score 67.
   */
  static AuditResult payments() {
    return new AuditResult(List.of(
        subject("apps/v1", "Deployment", "web", "payments",
            result("cpuLimitsMissing", HIGH, false, "app"),
            result("cpuLimitsMissing", HIGH, false, "sidecar"),
            result("livenessProbeMissing", MEDIUM, true, "app"),
            result("tagNotSpecified", CRITICAL, true, "app")),
        subject("apps/v1", "Deployment", "api", "payments",
            result("cpuLimitsMissing", HIGH, true, "app"),
            error("livenessProbeMissing", MEDIUM),
            result("tagNotSpecified", CRITICAL, true, "app")),
        subject("rbac.authorization.k8s.io/v1", "Role", "reader", "payments",
            result("rbacWildcard", LOW, false, null))),
        4, 1);
  }

  /** One Deployment failing a critical check: 0 of 10, score 0. */
  static AuditResult legacy() {
    return new AuditResult(List.of(
        subject("apps/v1", "Deployment", "old", "legacy",
            result("tagNotSpecified", CRITICAL, false, "app"))),
        0, 0);
  }

  @Test
  void namespaceScoreSeveritiesAndChecksComeFromItsResults() {
    NamespaceSummary ns = NamespaceSummary.of("payments", "payments-policy", payments());

    assertThat(ns.namespace()).isEqualTo("payments");
    assertThat(ns.policy()).isEqualTo("payments-policy");
    assertThat(ns.score()).isEqualTo(67).isEqualTo(payments().score().value());
    assertThat(ns.violationsBySeverity()).containsExactly(
        Map.entry(CRITICAL, 0), Map.entry(HIGH, 2), Map.entry(MEDIUM, 1), Map.entry(LOW, 1));
    assertThat(ns.checkViolations()).containsExactly(
        new CheckViolations("cpuLimitsMissing", HIGH, 2),
        new CheckViolations("livenessProbeMissing", MEDIUM, 1), // the errored evaluation
        new CheckViolations("rbacWildcard", LOW, 1),
        new CheckViolations("tagNotSpecified", CRITICAL, 0)); // applied, passed everywhere
    assertThat(ns.workloads()).as("the Role is judged but is no workload").isEqualTo(2);
    assertThat(ns.exemptWorkloads()).isEqualTo(1);
  }

  @Test
  void clusterScoreIsTheRatioOverAllResultsNotAnAverageOfNamespaceScores() {
    AuditRunSummary summary = AuditRunSummary.builder("prod-eu")
        .namespace("payments", "payments-policy", payments())
        .namespace("legacy", null, legacy())
        .namespace("quiet", "quiet", new AuditResult(List.of(), 0, 0))
        .resultsWritten(3, 0)
        .build(Duration.ofSeconds(7), FINISHED);

    // 27 of 50 passed weight: 54; the average of 67, 0 and 100 would be 55.
    assertThat(summary.clusterScore()).isEqualTo(54);
    assertThat(summary.namespaces()).extracting(NamespaceSummary::namespace, NamespaceSummary::score)
        .containsExactly(
            tuple("legacy", 0),
            tuple("payments", 67),
            tuple("quiet", 100)); // nothing judged: 100
    assertThat(summary.cluster()).isEqualTo("prod-eu");
    assertThat(summary.resultsWritten()).isEqualTo(3);
    assertThat(summary.duration()).isEqualTo(Duration.ofSeconds(7));
    assertThat(summary.finishedAt()).isEqualTo(FINISHED);
  }

  @Test
  void aNamespaceWithoutPolicyKeepsNullAndEveryCountAtZeroIsPresent() {
    NamespaceSummary ns = AuditRunSummary.builder("c")
        .namespace("legacy", null, legacy())
        .build(Duration.ZERO, FINISHED)
        .namespaces().get(0);

    assertThat(ns.policy()).isNull();
    assertThat(ns.violationsBySeverity()).containsOnlyKeys(Severity.values())
        .containsEntry(CRITICAL, 1).containsEntry(LOW, 0);
  }

  @Test
  void anEmptyClusterScores100() {
    AuditRunSummary summary = AuditRunSummary.builder("c").build(Duration.ZERO, FINISHED);

    assertThat(summary.clusterScore()).isEqualTo(100);
    assertThat(summary.namespaces()).isEmpty();
  }

  @Test
  void rejectsANamespaceTwiceAndAnEmptyClusterName() {
    AuditRunSummary.Builder builder = AuditRunSummary.builder("c").namespace("a", null, legacy());

    assertThatThrownBy(() -> builder.namespace("a", "p", legacy()))
        .hasMessage("namespace a was added twice");
    assertThatThrownBy(() -> AuditRunSummary.builder(" ").build(Duration.ZERO, FINISHED))
        .hasMessage("the cluster name is empty");
  }

  static SubjectResult subject(String apiVersion, String kind, String name, String namespace,
      CheckResult... results) {
    KubeObject object = new KubeObject(Map.of("apiVersion", apiVersion, "kind", kind,
        "metadata", Map.of("name", name, "namespace", namespace)), "cluster", null);
    return new SubjectResult(object, List.of(results));
  }

  static CheckResult result(String check, Severity severity, boolean passed, String container) {
    return new CheckResult(check, severity, Category.RELIABILITY, passed, container, check, false,
        false, container == null ? "" : "/spec/template/spec/containers/0");
  }

  static CheckResult error(String check, Severity severity) {
    return new CheckResult(check, severity, Category.RELIABILITY, false, "app",
        "cannot evaluate", false, true, "/spec/template/spec/containers/0");
  }
}
