package io.stochastic.devops.deploy;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.TestUtils.CliRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The workloads kube-devops ships ({@code cronjobs/}, {@code deploy/sync/}) pass our own strictest
 * bundle: score 100 under {@code kube-devops audit DIR --bundle restricted}, with no exemption
 * (but for the two checks {@link #NOT_DEMANDED_OF_SHIPPED_MANIFESTS} names, and why).
 */
class ShippedManifestsRestrictedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The restricted checks the shipped workloads do not meet, by choice: the JVMs burst above
   * their CPU request at start-up (memory request = limit, so they are not evicted first), and
   * the image's digest exists only once a release is built, so a manifest in the repository can
   * name only its tag.
   */
  static final String NOT_DEMANDED_OF_SHIPPED_MANIFESTS =
      "resourceRequestsNotEqualLimits,imageNotPinnedByDigest";

  static Stream<Arguments> directories() {
    return Stream.of(
        Arguments.of("cronjobs", List.of("CronJob kube-devops-auditor", "ClusterRole kube-devops-auditor",
            "ClusterRoleBinding kube-devops-auditor", "NetworkPolicy kube-devops-auditor")),
        Arguments.of("deploy/sync", List.of("Deployment kube-devops-sync", "PodDisruptionBudget kube-devops-sync",
            "Service kube-devops-sync", "Role kube-devops-sync", "RoleBinding kube-devops-sync", "ClusterRole kube-devops-sync",
            "ClusterRoleBinding kube-devops-sync", "NetworkPolicy kube-devops-sync")));
  }

  private static List<String> failedFindings(JsonNode report) {
    List<String> failed = new ArrayList<>();
    for (JsonNode workload : report.get("workloads")) {
      for (JsonNode finding : workload.get("findings")) {
        failed.add(workload.get("kind").asText() + " " + workload.get("name").asText() + " "
            + finding.get("check").asText() + ": " + finding.get("message").asText());
      }
    }
    return failed;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("directories")
  void scoresOneHundredUnderTheRestrictedBundleWithoutExemptions(String directory, List<String> judged)
      throws IOException {
    CliRun run = cli("audit", directory, "--bundle", "restricted",
        "--disable", NOT_DEMANDED_OF_SHIPPED_MANIFESTS, "-o", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    JsonNode report = JSON.readTree(run.out());

    assertThat(report.get("workloads")).extracting(w -> w.get("kind").asText() + " " + w.get("name").asText())
        .containsExactlyInAnyOrderElementsOf(judged);
    assertThat(report.get("summary").get("exempt").asInt()).isZero();
    assertThat(report.get("score").asInt()).isEqualTo(100);
    assertThat(failedFindings(report)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cronjobs", "deploy/sync"})
  void noObjectIsExemptedByAnnotation(String directory) {
    assertThat(new ManifestDirectory(Path.of(directory)).all()).allSatisfy(manifest -> {
      Map<String, String> annotations = manifest.object().getMetadata().getAnnotations();
      assertThat(annotations == null ? Map.of() : annotations).as(manifest.toString())
          .doesNotContainKeys("devops.stochastic.io/exempt", "devops.stochastic.io/exempt-checks");
    });
  }
}
