package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.v1.DevOpsPolicyStatus;
import io.stochastic.devops.v1.devopspolicystatus.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status computed from an evaluation: a pure function, tested without a cluster. */
class PolicyStatusesTest {
  private static final Instant NOW = TestUtils.NOW;

  private static AuditResult audit(String yaml) {
    ObjectSet objects = new ObjectSet(List.of(TestUtils.object(yaml)));
    return TestUtils.engine().audit(objects,
        NamespacePolicies.single(TestUtils.bundle("baseline")));
  }

  private static final String BARE = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: app, image: "nginx:latest"}]}
      """;

  private static Conditions condition(DevOpsPolicyStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  @Test
  void anEvaluationGivesScoreCountsAndConditions() {
    AuditResult result = audit(BARE);
    DevOpsPolicyStatus status = PolicyStatuses.evaluated(4, result, null, NOW);

    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(status.getHealthScore()).isEqualTo(result.score().value());
    assertThat(status.getHealthy()).isEqualTo(result.score().value() >= 80);
    assertThat(status.getClassification().getValue())
        .isEqualTo(result.score().classification().name());
    assertThat(status.getEvaluatedWorkloads()).isEqualTo(1);
    assertThat(status.getViolations()).isEqualTo(result.score().failed()).isPositive();
    var bySeverity = status.getViolationsBySeverity();
    assertThat(bySeverity.getCritical() + bySeverity.getHigh() + bySeverity.getMedium()
        + bySeverity.getLow()).isEqualTo(status.getViolations());
    assertThat(status.getLastEvaluated().toInstant()).isEqualTo(NOW);
    assertThat(status.getMessage()).startsWith("1 workload evaluated: score "
        + status.getHealthScore());
    assertThat(condition(status, PolicyStatuses.READY).getStatus())
        .isEqualTo(Conditions.Status.TRUE);
    assertThat(condition(status, PolicyStatuses.READY).getReason()).isEqualTo("Evaluated");
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getStatus())
        .isEqualTo(Conditions.Status.FALSE);
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getReason())
        .isEqualTo("ViolationsFound");
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getObservedGeneration())
        .isEqualTo(4L);
  }

  @Test
  void anEmptyNamespaceIsCompliantWithScore100() {
    DevOpsPolicyStatus status = PolicyStatuses.evaluated(1,
        new AuditResult(List.of(), 0, 0, 0), null, NOW);

    assertThat(status.getHealthScore()).isEqualTo(100);
    assertThat(status.getHealthy()).isTrue();
    assertThat(status.getClassification()).isEqualTo(DevOpsPolicyStatus.Classification.HEALTHY);
    assertThat(status.getViolations()).isZero();
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getStatus())
        .isEqualTo(Conditions.Status.TRUE);
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getReason())
        .isEqualTo("NoViolations");
  }

  @Test
  void theSameEvaluationLaterNeedsNoWriteUntilTheRefreshIsDue() {
    AuditResult result = audit(BARE);
    DevOpsPolicyStatus first = PolicyStatuses.evaluated(1, result, null, NOW);
    Instant later = NOW.plusSeconds(30);
    DevOpsPolicyStatus again = PolicyStatuses.evaluated(1, result, first, later);

    assertThat(PolicyStatuses.sameContent(first, again)).isTrue();
    assertThat(condition(again, PolicyStatuses.READY).getLastTransitionTime())
        .isEqualTo(condition(first, PolicyStatuses.READY).getLastTransitionTime());
    assertThat(PolicyStatuses.needsWrite(first, again, Duration.ofMinutes(10), later)).isFalse();
    assertThat(PolicyStatuses.needsWrite(first, again, Duration.ofMinutes(10),
        NOW.plus(Duration.ofMinutes(10)))).isTrue();
    assertThat(PolicyStatuses.needsWrite(null, again, Duration.ofMinutes(10), later)).isTrue();
  }

  @Test
  void aChangeNeedsAWriteAndMovesOnlyTheConditionsThatChanged() {
    DevOpsPolicyStatus failing = PolicyStatuses.evaluated(1, audit(BARE), null, NOW);
    Instant later = NOW.plusSeconds(30);
    DevOpsPolicyStatus clean = PolicyStatuses.evaluated(1,
        new AuditResult(List.of(), 0, 0, 0), failing, later);

    assertThat(PolicyStatuses.needsWrite(failing, clean, Duration.ofMinutes(10), later)).isTrue();
    assertThat(condition(clean, PolicyStatuses.READY).getLastTransitionTime().toInstant())
        .isEqualTo(NOW);
    assertThat(condition(clean, PolicyStatuses.COMPLIANT).getLastTransitionTime().toInstant())
        .isEqualTo(later);
    assertThat(PolicyStatuses.violations(failing)).isPositive();
    assertThat(PolicyStatuses.violations(clean)).isZero();
  }

  @Test
  void aPolicyThatDoesNotGovernClaimsNoScore() {
    DevOpsPolicyStatus status = PolicyStatuses.notEvaluated(2,
        PolicyStatuses.Reason.NotGoverning, "namespace shop is governed by DevOpsPolicy a",
        null, NOW);

    assertThat(status.getHealthScore()).isNull();
    assertThat(status.getViolations()).isNull();
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(condition(status, PolicyStatuses.READY).getStatus())
        .isEqualTo(Conditions.Status.FALSE);
    assertThat(condition(status, PolicyStatuses.READY).getReason()).isEqualTo("NotGoverning");
    assertThat(condition(status, PolicyStatuses.COMPLIANT).getStatus())
        .isEqualTo(Conditions.Status.UNKNOWN);
    assertThat(PolicyStatuses.violations(status)).isZero();
  }
}
