package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy lint} end to end: what it prints in each format, and its exit codes. */
class PolicyLintCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INVALID = "src/test/resources/policy-lint/invalid/";

  @Test
  void everyFileOfThePolicyRepositoryAndTheExamplesLintsClean() {
    CliResult result = CliResult.run("policy", "lint", "policies", "examples");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).endsWith(": no problems" + System.lineSeparator());
    // stderr says only whether each custom check exports as a ValidatingAdmissionPolicy.
    assertThat(result.err()).isEqualTo("policies/namespaces/shop/policy.yaml#0: custom check "
        + "teamLabelMissing exports as a ValidatingAdmissionPolicy (policy export-vap)\n");
  }

  @Test
  void eachCustomCheckIsSaidToExportAsAValidatingAdmissionPolicyOrWhyNot(@TempDir Path dir)
      throws IOException {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team, namespace: shop}
        spec:
          customChecks:
            - id: serviceMissing
              target: workload
              kinds: [Deployment]
              severity: low
              expression: "related('Service').exists(s, true)"
              message: "${name} has no Service"
            - id: teamLabelMissing
              target: workload
              severity: low
              expression: "'team' in object.metadata.?labels.orValue({})"
              message: "${name} has no team label"
        """);
    CliResult result = CliResult.run("policy", "lint", policy.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("custom check serviceMissing stays with the webhook / "
        + "operator (reads other objects with related(Service)")
        .contains("custom check teamLabelMissing exports as a ValidatingAdmissionPolicy");
  }

  @Test
  void withoutAPathTheProjectsPolicyRepositoryIsLintedNotItsBuildOrSources() {
    // Run from the project's root: policies/, not target/ (test fixtures, reports) nor src/.
    CliResult result = CliResult.run("policy", "lint");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).startsWith("linting the policy repository policies/\n");
    assertThat(result.out()).isEqualTo("8 policies in 8 files: no problems\n");
  }

  @Test
  void filesBesideThePoliciesThatHoldNoneAreSkipped(@TempDir Path dir) throws IOException {
    Path policy = dir.resolve("namespaces/shop/policy.yaml");
    Files.createDirectories(policy.getParent());
    Files.writeString(policy, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop}
        spec: {bundle: baseline}
        """);
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: policies\n");
    Files.writeString(dir.resolve("values.yaml"), "replicas: 2\n");
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("templates/policy.yaml"),
        "{{- range .Values.namespaces }}\nkind: DevOpsPolicy\n{{- end }}\n");
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [namespaces/shop]\n");
    CliResult audit = CliResult.run("audit", "examples/", "-o", "json");
    Files.writeString(dir.resolve("report.json"), audit.out());
    Files.writeString(dir.resolve("lint.json"),
        CliResult.run("policy", "lint", "policies", "-o", "json").out());

    CliResult result = CliResult.run("policy", "lint", dir.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    // The policy, and the two reports: an AuditReport and a PolicyLintReport, not policies.
    assertThat(result.out()).isEqualTo("1 policy in 3 files (2 other documents skipped): "
        + "no problems\n");
  }

  @Test
  void problemsAreLinesNamingFileDocumentLineAndFieldAndExitOne() {
    CliResult result = CliResult.run("policy", "lint", INVALID + "bundle-unknown.yaml");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.POLICY_FAILED);
    assertThat(result.out()).isEqualTo(INVALID + "bundle-unknown.yaml#0:8: error: spec.bundle: "
        + "unsupported value \"strict\": supported values: \"baseline\", \"restricted\", "
        + "\"permissive\", \"pss-baseline\", \"pss-restricted\"\n"
        + "1 error, 0 warnings in 1 policy in 1 file\n");
  }

  @Test
  void warningsPassUnlessStrict() {
    String file = INVALID + "status.yaml";

    assertThat(CliResult.run("policy", "lint", file).exitCode()).isZero();
    assertThat(CliResult.run("policy", "lint", "--strict", file).exitCode())
        .isEqualTo(ExitCode.POLICY_FAILED);
  }

  @Test
  void unreadableInputExitsTwoAndIsReportedWithTheRest(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: [unclosed\n");

    CliResult result = CliResult.run("policy", "lint", dir.toString(),
        INVALID + "bundle-unknown.yaml");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ERROR);
    assertThat(result.out()).contains(dir.resolve("broken.yaml") + "#0:3: error: malformed YAML")
        .contains("spec.bundle: unsupported value");
  }

  @Test
  void aMissingPathIsUnreadableInput() {
    CliResult result = CliResult.run("policy", "lint", "no/such/dir");

    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.out()).startsWith("no/such/dir: error: no such file or directory");
  }

  @Test
  void readsStdinAndLocatesFieldsInIt() {
    CliResult result = CliResult.runWithStdin("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop}
        spec:
          bundle: baseline
          maxRestartCount: -3
        """, "policy", "lint", "-");

    assertThat(result.exitCode()).isEqualTo(ExitCode.POLICY_FAILED);
    assertThat(result.out()).startsWith("<stdin>#0:6: error: spec.maxRestartCount: -3: must be "
        + "greater than or equal to 0");
  }

  @Test
  void aDirectoryWithoutPoliciesIsCleanWithAWarning() {
    CliResult result = CliResult.run("policy", "lint", "examples");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("0 policies in ");
    assertThat(result.err()).isEqualTo("warning: no DevOpsPolicy found in examples\n");
  }

  @Test
  void jsonListsEveryProblemWithItsLocation() throws IOException {
    CliResult result = CliResult.run("policy", "lint", "-o", "json",
        INVALID + "exemption-selector-operator.yaml");

    assertThat(result.exitCode()).isEqualTo(ExitCode.POLICY_FAILED);
    JsonNode report = JSON.readTree(result.out());
    assertThat(report.path("kind").asText()).isEqualTo("PolicyLintReport");
    assertThat(report.path("summary").path("errors").asInt()).isEqualTo(2);
    JsonNode first = report.path("problems").get(0);
    assertThat(first.path("file").asText()).isEqualTo(INVALID
        + "exemption-selector-operator.yaml");
    assertThat(first.path("document").asText()).isEqualTo("0");
    assertThat(first.path("line").asInt()).isEqualTo(13);
    assertThat(first.path("field").asText())
        .isEqualTo("spec.exemptions[0].selector.matchExpressions[0].operator");
    assertThat(first.path("severity").asText()).isEqualTo("error");
    assertThat(first.path("rule").asText()).isEqualTo("invalidValue");
    assertThat(first.path("policy").asText()).isEqualTo("shop/shop");
    assertThat(first.path("message").asText()).startsWith("unsupported value \"Equals\"");
  }

  @Test
  void sarifIsValidSarif210WithAResultPerProblem() throws IOException {
    CliResult result = CliResult.run("policy", "lint", "-o", "sarif", INVALID);

    assertThat(result.exitCode()).isEqualTo(ExitCode.POLICY_FAILED);
    JsonNode sarif = JSON.readTree(result.out());
    assertThat(sarifSchema().validate(sarif)).isEmpty();
    JsonNode results = sarif.path("runs").get(0).path("results");
    assertThat(results.size()).isGreaterThan(20);
    JsonNode bundle = null;
    for (JsonNode r : results) {
      if (r.path("message").path("text").asText().startsWith("spec.bundle: ")) {
        bundle = r;
      }
    }
    assertThat(bundle).isNotNull();
    assertThat(bundle.path("ruleId").asText()).isEqualTo("invalidValue");
    assertThat(bundle.path("level").asText()).isEqualTo("error");
    JsonNode physical = bundle.path("locations").get(0).path("physicalLocation");
    assertThat(physical.path("artifactLocation").path("uri").asText())
        .isEqualTo(INVALID + "bundle-unknown.yaml");
    assertThat(physical.path("region").path("startLine").asInt()).isEqualTo(8);
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() {
    CliResult result = CliResult.run("policy", "lint", "-o", "xml", "policies");

    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).startsWith("error: invalid value 'xml' for --output (expected "
        + "table, json, sarif)");
  }

  private static JsonSchema sarifSchema() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(
        "src/test/resources/sarif/sarif-2.1.0.json"))) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }
  }
}
