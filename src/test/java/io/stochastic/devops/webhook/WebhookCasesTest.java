package io.stochastic.devops.webhook;

import static io.stochastic.devops.webhook.AdmissionFixtures.BASELINE_ENFORCE;
import static io.stochastic.devops.webhook.AdmissionFixtures.WEBHOOK_CASES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Polaris's webhook cases under the baseline bundle in enforce mode: in every {@code failing_*}
 * file an object is denied on CREATE, in every {@code passing_*} file each object is admitted
 * (each document of a file is its own review, as {@code kubectl apply} would send them).
 */
class WebhookCasesTest {
  private static final AdmissionReviewer REVIEWER = AdmissionFixtures.reviewer(BASELINE_ENFORCE);

  static Stream<Path> failing() throws IOException {
    return cases("failing_");
  }

  static Stream<Path> passing() throws IOException {
    return cases("passing_");
  }

  private static Stream<Path> cases(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(WEBHOOK_CASES)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()
          .stream();
    }
  }

  private static List<Verdict> verdicts(Path file) {
    return AdmissionFixtures.documents(file).stream()
        .map(doc -> REVIEWER.validate(AdmissionFixtures.input("CREATE", "shop", doc, null)))
        .toList();
  }

  @ParameterizedTest
  @MethodSource("failing")
  void failingCasesAreDenied(Path file) {
    List<Verdict> verdicts = verdicts(file);
    assertThat(verdicts).as("%s: %s", file, verdicts).anyMatch(v -> !v.allowed());
    assertThat(verdicts).filteredOn(v -> !v.allowed())
        .allSatisfy(v -> assertThat(v.message()).contains(" violates ").contains("Fix: "));
  }

  @ParameterizedTest
  @MethodSource("passing")
  void passingCasesAreAdmitted(Path file) {
    List<Verdict> verdicts = verdicts(file);
    assertThat(verdicts).as("%s: %s", file, verdicts).allMatch(Verdict::allowed);
  }

  /**
   * {@code passing_test.deployment.annotations.yaml} is exempt through Polaris's own annotation,
   * which kube-devops honours so that a move from Polaris keeps its exemptions; a per-check
   * Polaris exemption ({@code polaris.fairwinds.com/<checkId>-exempt}) skips only that check.
   */
  @Test
  void polarisExemptionAnnotationsAreHonoured() {
    JsonNode object = AdmissionFixtures.yaml(
        WEBHOOK_CASES.resolve("passing_test.deployment.annotations.yaml"));
    Verdict exempt = REVIEWER.validate(AdmissionFixtures.input("CREATE", "shop", object, null));
    assertThat(exempt.allowed()).isTrue();
    assertThat(exempt.decision()).isEqualTo("skipped");

    ObjectNode annotations = (ObjectNode) object.path("metadata").path("annotations");
    annotations.remove("polaris.fairwinds.com/exempt");
    Verdict judged = REVIEWER.validate(AdmissionFixtures.input("CREATE", "shop", object, null));
    assertThat(judged.allowed()).isFalse();
    assertThat(judged.message()).contains("privilegeEscalationAllowed");
    annotations.put("polaris.fairwinds.com/privilegeEscalationAllowed-exempt", "true");
    Verdict oneCheck = REVIEWER.validate(AdmissionFixtures.input("CREATE", "shop", object, null));
    assertThat(oneCheck.allowed()).as("its only denying finding is exempt").isTrue();
    assertThat(oneCheck.warnings()).noneMatch(w -> w.contains("privilegeEscalationAllowed"));
  }
}
