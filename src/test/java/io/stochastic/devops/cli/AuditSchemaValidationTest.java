package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static io.stochastic.devops.TestUtils.cliWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.TestUtils.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** audit validates what it reads against the Kubernetes schema and CRDs before judging it. */
class AuditSchemaValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CASES = Path.of("src/test/resources/schema");
  private static final String GOOD_POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: fine, namespace: shop}
      spec:
        containers: [{name: app, image: registry.example.com/app:1.0}]
      """;

  @TempDir
  Path dir;

  private static void assertOneErrorLine(CliRun run, String... contains) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().startsWith("error: ")
        .contains(contains).doesNotContain("Exception", "io.stochastic", "overload");
  }

  @Test
  void aTypeErrorIsAnInputErrorNamingFileDocumentLineAndField() {
    CliRun run = cli("audit", CASES.resolve("invalid.privileged-string.yaml").toString());
    assertOneErrorLine(run, "invalid.privileged-string.yaml#0: Deployment web: line 13: "
        + "spec.template.spec.containers[0].securityContext.privileged must be a boolean, not "
        + "the string \"true\"");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void stdinHasNoFileToPointIntoSoTheDocumentsLineIsGiven() {
    CliRun run = cliWithStdin("---\n" + GOOD_POD + "---\napiVersion: v1\nkind: ConfigMap\n"
        + "metadata: {name: c}\ndata: {port: 8080}\n", "audit", "-");
    assertOneErrorLine(run, "<stdin>#1: ConfigMap c: line 8: data.port must be a string, not "
        + "the number 8080");
  }

  @Test
  void skipInvalidAuditsTheRestAndCountsWhatItSkipped() throws IOException {
    Files.writeString(dir.resolve("good.yaml"), GOOD_POD);
    Files.copy(CASES.resolve("invalid.containers-string.yaml"), dir.resolve("bad.yaml"));
    CliRun run = cli("audit", dir.toString(), "--skip-invalid", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.err()).startsWith("warning: ").contains("bad.yaml#0: Pod web: line 6: "
        + "spec.containers must be a list");
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.get("summary").get("skippedInvalid").asInt()).isEqualTo(1);
    assertThat(report.get("workloads")).extracting(w -> w.get("name").asText())
        .containsExactly("fine");
  }

  @Test
  void unknownFieldsWarnAndFailOnlyWithStrict() {
    String file = CASES.resolve("unknown.field-typo.yaml").toString();
    CliRun lenient = cli("audit", file, "-o", "json");
    assertThat(lenient.exitCode()).isEqualTo(0);
    assertThat(lenient.err()).startsWith("warning: ")
        .contains("imagePullPolice is not a field of Container (did you mean imagePullPolicy?)");

    assertOneErrorLine(cli("audit", file, "--strict"), "imagePullPolice");
  }

  @Test
  void unservedApiVersionsWarnAndFailOnlyWithStrict() {
    String file = CASES.resolve("unserved.extensions-deployment.yaml").toString();
    CliRun lenient = cli("audit", file, "-o", "json");
    assertThat(lenient.exitCode()).isEqualTo(0);
    assertThat(lenient.err()).contains("extensions/v1beta1 Deployment is not served by "
        + "Kubernetes 1.36").contains("use apps/v1");
    assertOneErrorLine(cli("audit", file, "--strict"), "extensions/v1beta1 Deployment");
  }

  @Test
  void customResourcesValidateAgainstTheCrdsGivenOrRead() throws IOException {
    String invalid = CASES.resolve("crd.rollout-invalid.yaml").toString();
    assertThat(cli("audit", invalid).exitCode()).as("no CRD: not validated").isEqualTo(0);
    assertOneErrorLine(cli("audit", invalid, "--crd", CASES.resolve("crds").toString()),
        "Rollout web: line 5: spec.selector is required");
    assertOneErrorLine(cli("audit", invalid, "--crd",
        CASES.resolve("crds/rollouts.yaml").toString()), "spec.replicas must be at least 0");
    // A CRD among the audited manifests validates its resources too.
    Path both = dir.resolve("both.yaml");
    Files.writeString(both, Files.readString(CASES.resolve("crds/rollouts.yaml")) + "---\n"
        + Files.readString(Path.of(invalid)));
    assertOneErrorLine(cli("audit", both.toString()), "spec.strategy.canary.maxSurge");
  }

  @Test
  void aCrdOptionWithoutACrdOrOnAMissingPathIsOneLine() throws IOException {
    Path notCrd = Files.writeString(dir.resolve("cm.yaml"), GOOD_POD);
    String good = CASES.resolve("valid.list-items.yaml").toString();
    assertOneErrorLine(cli("audit", good, "--crd", notCrd.toString()),
        "cm.yaml: no CustomResourceDefinition");
    assertOneErrorLine(cli("audit", good, "--crd", dir.resolve("missing").toString()),
        "missing", "no such file");
  }

  @Test
  void noValidateJudgesWhatItReadsAsBefore() {
    CliRun run = cli("audit", CASES.resolve("invalid.privileged-string.yaml").toString(),
        "--no-validate", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    assertThat(cli("audit", "-", "--no-validate", "--strict").exitCode()).isEqualTo(2);
  }

  @Test
  void checksThatMeetWrongTypesSayItInPlainWordsNotInCelInternals() throws IOException {
    CliRun run = cli("audit", CASES.resolve("unvalidated/wrong-types.yaml").toString(),
        "--no-validate", "--bundle", "restricted", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    java.util.List<String> errors = new java.util.ArrayList<>();
    JSON.readTree(run.out()).get("workloads").get(0).get("findings").forEach(f -> {
      String message = f.get("message").asText();
      if (message.startsWith("check could not be evaluated")) {
        errors.add(message);
      }
    });
    assertThat(errors).hasSizeGreaterThan(3).allSatisfy(m -> assertThat(m)
        .doesNotContain("overload", "<input>", "Field selections", "iteration range"));
    assertThat(errors).anySatisfy(m -> assertThat(m).contains("has a type it does not expect"));
  }
}
