package io.stochastic.devops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftCheckTest {
  private static final Map<String, Object> DESIRED = Map.of(
      "metadata", Map.of("name", "team", "labels", Map.of("app.kubernetes.io/managed-by",
          "kube-devops-sync")),
      "spec", Map.of("bundle", "baseline", "maxRestartCount", 3,
          "exemptions", List.of(Map.of("workload", "legacy"))));

  @Test
  void whatTheServerAddsIsNotDrift() {
    Map<String, Object> live = Map.of(
        "metadata", Map.of("name", "team", "uid", "1", "labels", Map.of(
            "app.kubernetes.io/managed-by", "kube-devops-sync", "team", "payments")),
        "spec", Map.of("bundle", "baseline", "maxRestartCount", 3L, "enforcementMode", "audit",
            "exemptions", List.of(Map.of("workload", "legacy", "reason", "defaulted"))),
        "status", Map.of("healthy", true));

    assertThat(DriftCheck.covers(live, DESIRED)).isTrue();
  }

  @Test
  void aChangedOrRemovedValueALabelOrAListElementIsDrift() {
    Object metadata = DESIRED.get("metadata");
    Object spec = DESIRED.get("spec");
    List<Object> legacy = List.of(Map.of("workload", "legacy"));
    Map<String, Object> changed = Map.of("metadata", metadata, "spec",
        Map.of("bundle", "permissive", "maxRestartCount", 3, "exemptions", legacy));
    Map<String, Object> removed = Map.of("metadata", metadata, "spec",
        Map.of("bundle", "baseline", "exemptions", legacy));
    Map<String, Object> unlabelled = Map.of("metadata", Map.of("name", "team"), "spec", spec);
    Map<String, Object> added = Map.of("metadata", metadata, "spec",
        Map.of("bundle", "baseline", "maxRestartCount", 3, "exemptions",
            List.of(Map.of("workload", "legacy"), Map.of("workload", "other"))));

    assertThat(DriftCheck.covers(changed, DESIRED)).as("a changed value").isFalse();
    assertThat(DriftCheck.covers(removed, DESIRED)).as("a removed field").isFalse();
    assertThat(DriftCheck.covers(unlabelled, DESIRED)).as("the label removed").isFalse();
    assertThat(DriftCheck.covers(added, DESIRED)).as("an element added to a list").isFalse();
    assertThat(DriftCheck.covers(null, DESIRED)).as("deleted").isFalse();
  }

  @Test
  void numbersCompareByValue() {
    assertThat(DriftCheck.covers(new BigDecimal("0.50"), 0.5)).isTrue();
    assertThat(DriftCheck.covers(3L, 3)).isTrue();
    assertThat(DriftCheck.covers(4, 3)).isFalse();
    assertThat(DriftCheck.covers("3", 3)).isFalse();
  }
}
