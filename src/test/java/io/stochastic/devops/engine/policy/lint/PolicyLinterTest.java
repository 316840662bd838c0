package io.stochastic.devops.engine.policy.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lint table: every entry of src/test/resources/policy-lint/valid lints clean, every entry of
 * invalid/ gives exactly the problems its files announce in "# expect:" lines (see the README
 * there).
 */
class PolicyLinterTest {
  private static final Path FIXTURES = Path.of("src/test/resources/policy-lint");
  private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+) (error|warning) (.*)$");
  private static final PolicyLinter LINTER =
      new PolicyLinter(PolicySchema.devOpsPolicy(), TestUtils.resolver());

  static Stream<Path> valid() throws IOException {
    return entries("valid");
  }

  static Stream<Path> invalid() throws IOException {
    return entries("invalid");
  }

  private static Stream<Path> entries(String kind) throws IOException {
    try (Stream<Path> list = Files.list(FIXTURES.resolve(kind))) {
      return list.sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validPoliciesLintClean(Path entry) {
    LintReport report = lint(entry);

    assertThat(report.problems()).isEmpty();
    assertThat(report.policies()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidPoliciesNameTheFieldAtFault(Path entry) throws IOException {
    List<String> expected = new ArrayList<>();
    List<Path> files = Files.isDirectory(entry) ? filesUnder(entry) : List.of(entry);
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        Matcher m = EXPECT.matcher(line);
        if (m.matches()) {
          expected.add(file + ":" + m.group(1) + " " + m.group(2) + " "
              + m.group(3).replace("{dir}", entry.toString()));
        }
      }
    }
    assertThat(expected).as("expectations in " + entry).isNotEmpty();

    LintReport report = lint(entry);

    List<String> actual = report.problems().stream()
        .map(p -> p.file() + ":" + p.line() + " " + p.severity().id() + " " + p.field() + ": "
            + p.message())
        .toList();
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void countsPoliciesAndSkipsOtherDocuments() {
    LintReport report = lint(FIXTURES.resolve("valid/among-manifests.yaml"));

    assertThat(report.policies()).isEqualTo(1);
    assertThat(report.ignored()).as("the Deployment and the PolicyAuditResult").isEqualTo(2);
    assertThat(report.files()).isEqualTo(1);
  }

  @Test
  void problemsCarryTheDocumentAndThePolicy() {
    LintReport report = lint(FIXTURES.resolve("invalid/duplicate-namespace"));

    LintProblem problem = report.problems().get(0);
    assertThat(problem.document()).isEqualTo("0");
    assertThat(problem.policy()).isEqualTo("shop/shop-strict");
    assertThat(problem.rule()).isEqualTo(LintRule.DUPLICATE_POLICY);
    assertThat(problem.source()).endsWith("duplicate-namespace/b.yaml#0");
  }

  @Test
  void itemsOfAListAreLocatedInsideTheList() {
    String yaml = """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: devops.stochastic.io/v1
            kind: DevOpsPolicy
            metadata: {name: one, namespace: one}
          - apiVersion: devops.stochastic.io/v1
            kind: DevOpsPolicy
            metadata: {name: two, namespace: two}
            spec:
              bundle: none
        """;
    ManifestBatch batch = TestUtils.readYaml("list.yaml", yaml);
    SourceLocator locator = new YamlSourceLocator(
        Map.of("list.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    LintReport report = LINTER.lint(batch.objects(), 1, locator);

    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.document()).isEqualTo("0.items[1]");
      assertThat(p.field()).hasToString("spec.bundle");
      assertThat(p.line()).isEqualTo(11);
    });
  }

  @Test
  void fieldPathsQuoteKeysThatAreNotIdentifiers() {
    assertThat(FieldPath.of("spec", "customChecks").index(0).child("expression"))
        .hasToString("spec.customChecks[0].expression");
    assertThat(FieldPath.of("metadata", "annotations", "example.com/team"))
        .hasToString("metadata.annotations[\"example.com/team\"]");
    assertThat(FieldPath.ROOT).hasToString("(document)");
  }

  private static LintReport lint(Path entry) {
    ManifestBatch batch = new ManifestBatch();
    new ManifestReader(ReadLimits.DEFAULT, null).readPath(entry, batch);
    assertThat(batch.invalid()).as("unreadable documents").isEmpty();
    return LINTER.lint(batch.objects(), batch.files(), new YamlSourceLocator(Map.of()));
  }

  private static List<Path> filesUnder(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
