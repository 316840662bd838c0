package io.stochastic.devops.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's score is the ratio over every namespace's results, as analyze computes it. */
class ClusterScoresTest {

  @Test
  void theClusterScoreIsTheRatioOverAllResultsNotTheMeanOfNamespaceScores() {
    // a: 1 critical failed, 1 low passed -> 1/11 = 9; b: 10 low passed -> 100.
    AuditResult a = result("a", check(Severity.CRITICAL, false), check(Severity.LOW, true));
    List<CheckResult> passes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      passes.add(check(Severity.LOW, true));
    }
    AuditResult b = result("b", passes.toArray(CheckResult[]::new));

    ClusterScores scores = ClusterScores.EMPTY.with(Map.of("a", NamespaceScore.of("a", a),
        "b", NamespaceScore.of("b", b)), List.of());

    // the same aggregation as analyze -A over both namespaces: 100 * 11 / 21
    AuditResult both = new AuditResult.Builder().add(a).add(b).build();
    assertThat(scores.cluster().value()).isEqualTo(both.score().value()).isEqualTo(52);
    assertThat(scores.namespaces().get("a").value()).isEqualTo(9);
    assertThat(scores.namespaces().get("a").violationsBySeverity())
        .containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.LOW, 0);
  }

  @Test
  void noNamespaceScoresOneHundred() {
    assertThat(ClusterScores.EMPTY.cluster().value()).isEqualTo(100);
  }

  @Test
  void aRemovedNamespaceNoLongerCountsAndTheWorstComeFirst() {
    ClusterScores scores = ClusterScores.EMPTY.with(Map.of(
        "a", NamespaceScore.of("a", result("a", check(Severity.HIGH, false))),
        "b", NamespaceScore.of("b", result("b", check(Severity.HIGH, true))),
        "c", NamespaceScore.of("c", result("c", check(Severity.HIGH, false),
            check(Severity.HIGH, true)))), List.of());

    assertThat(scores.worst(2)).extracting(NamespaceScore::namespace).containsExactly("a", "c");

    ClusterScores after = scores.with(Map.of(), List.of("a", "c"));
    assertThat(after.namespaces()).containsOnlyKeys("b");
    assertThat(after.cluster().value()).isEqualTo(100);
    assertThat(scores.namespaces()).as("unchanged").hasSize(3);
  }

  @Test
  void theSummaryNamesTheClusterScoreAndTheWorstNamespaces() {
    ClusterScores scores = ClusterScores.EMPTY.with(Map.of(
        "shop", NamespaceScore.of("shop", result("shop", check(Severity.HIGH, false),
            check(Severity.HIGH, true))),
        "pay", NamespaceScore.of("pay", result("pay", check(Severity.HIGH, true)))), List.of());

    assertThat(WatchSummary.render(scores)).isEqualTo("cluster score 66 (Stable): 2 namespaces,"
        + " 1 violation" + System.lineSeparator() + "  worst: shop 50 Degraded (1)");
    assertThat(WatchSummary.render(ClusterScores.EMPTY))
        .isEqualTo("cluster score 100 (Healthy): 0 namespaces, 0 violations");
  }

  static CheckResult check(Severity severity, boolean passed) {
    return new CheckResult("livenessProbeMissing", severity, Category.RELIABILITY, passed, "app",
        "", false, false, "");
  }

  static AuditResult result(String namespace, CheckResult... results) {
    KubeObject pod = new KubeObject(Map.of("apiVersion", "v1", "kind", "Pod",
        "metadata", Map.of("name", "p", "namespace", namespace)), "cache", namespace);
    return new AuditResult(List.of(new SubjectResult(pod, List.of(results), true)), 0, 0);
  }
}
