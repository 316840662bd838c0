package io.stochastic.devops.engine.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate every audit shares: a minimum score, a severity, and refusing an empty audit. */
class PolicyGateTest {
  private static final KubeObject POD = new KubeObject(
      Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "p")), "t", null);

  private static List<SubjectResult> results(boolean... passed) {
    List<CheckResult> checks = new java.util.ArrayList<>();
    for (boolean p : passed) {
      checks.add(new CheckResult("c", Severity.HIGH, Category.SECURITY, p, null, "m", false,
          false, ""));
    }
    return List.of(new SubjectResult(POD, checks));
  }

  private static Score score(List<SubjectResult> results) {
    return new AuditResult(results, 0, 0).score();
  }

  @Test
  void anEmptyAuditPassesUnlessAskedNotTo() {
    assertThat(new PolicyGate(80, Severity.HIGH).reasons(score(List.of()), List.of())).isEmpty();
    assertThat(new PolicyGate(80, Severity.HIGH, true).reasons(score(List.of()), List.of()))
        .containsExactly("no workloads were audited (--fail-on-empty)");
  }

  @Test
  void scoreAndSeverityEachGiveTheirReason() {
    List<SubjectResult> half = results(true, false);
    assertThat(new PolicyGate(80, Severity.CRITICAL, true).reasons(score(half), half))
        .containsExactly("score 50 is below 80");
    assertThat(new PolicyGate(null, Severity.HIGH).reasons(score(half), half))
        .containsExactly("1 finding is at or above high");
    assertThat(new PolicyGate(50, null).reasons(score(half), half)).isEmpty();
  }

  @Test
  void aScoreOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> new PolicyGate(101, null))
        .hasMessage("--fail-below must be between 0 and 100, not 101");
  }
}
