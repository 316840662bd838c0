package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.TestUtils.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code audit --helm-chart}: the chart under {@code src/test/resources/helm/web} is rendered by
 * the real Helm (helm-java's native library) and audited, each object at its template.
 */
class AuditHelmChartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHART = "src/test/resources/helm/web";
  private static final String PROBES_AND_LIMITS = "src/test/resources/helm/probes-and-limits.yaml";
  private static final List<String> PROBES = List.of("livenessProbeMissing",
      "readinessProbeMissing");
  private static final List<String> RESOURCES = List.of("cpuLimitsMissing",
      "cpuRequestsMissing", "memoryLimitsMissing", "memoryRequestsMissing");

  @TempDir
  Path dir;

  private static JsonNode json(CliRun run) throws IOException {
    assertThat(run.err()).as("stderr").isEmpty();
    return JSON.readTree(run.out());
  }

  /** Each audited object's kind/namespace/name and its source. */
  private static Map<String, String> sources(JsonNode report) {
    Map<String, String> sources = new TreeMap<>();
    report.get("workloads").forEach(w -> sources.put(w.get("kind").asText() + "/"
        + w.get("namespace").asText() + "/" + w.get("name").asText(), w.get("source").asText()));
    return sources;
  }

  private static TreeSet<String> findings(JsonNode report, String name) {
    TreeSet<String> checks = new TreeSet<>();
    report.get("workloads").forEach(w -> {
      if (w.get("name").asText().equals(name)) {
        w.get("findings").forEach(f -> checks.add(f.get("check").asText()));
      }
    });
    return checks;
  }

  @Test
  void theRenderedObjectsAreAuditedEachWithItsTemplateAsSource() throws IOException {
    CliRun run = cli("audit", "--helm-chart", CHART, "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode report = json(run);
    // The Service (conditional, on by default) is judged too: serviceSelectsNoPods.
    assertThat(sources(report)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "ConfigMap/default/release-name-web-settings", CHART + "/templates/debug.yaml#0",
        "Deployment/default/release-name-web", CHART + "/templates/deployment.yaml#0",
        "Service/default/release-name-web", CHART + "/templates/service.yaml#0")));
    assertThat(report.get("summary").get("skipped").asInt()).isEqualTo(0);
    TreeSet<String> expected = new TreeSet<>(PROBES);
    expected.addAll(RESOURCES);
    assertThat(findings(report, "release-name-web")).isEqualTo(expected);
  }

  static Stream<Arguments> valuesChangeTheVerdict() {
    List<String> both = new ArrayList<>(PROBES);
    both.addAll(RESOURCES);
    return Stream.of(
        Arguments.of(List.of(), both, 1),
        Arguments.of(List.of("--values", PROBES_AND_LIMITS), List.of(), 0),
        Arguments.of(List.of("--set", "probes=true"), RESOURCES, 1),
        // --set applies after the values files, and "false" is a boolean as in helm.
        Arguments.of(List.of("--values", PROBES_AND_LIMITS, "--set", "probes=false"), PROBES, 1),
        // A key path sets one value deep; the CPU request defaults to the limit, as in a cluster.
        Arguments.of(List.of("--set", "resources.limits.cpu=1", "--set", "probes=true"),
            List.of("memoryLimitsMissing", "memoryRequestsMissing"), 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void valuesChangeTheVerdict(List<String> values, List<String> failed, int exitCode)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("audit", "--helm-chart", CHART, "-o", "json",
        "--fail-on", "medium"));
    args.addAll(values);
    CliRun run = cli(args.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(JSON.readTree(run.out()).get("workloads")).isNotEmpty();
    assertThat(findings(JSON.readTree(run.out()), "release-name-web"))
        .containsExactlyInAnyOrderElementsOf(failed);
  }

  @Test
  void releaseNameAndNamespaceAreHelmsReleaseName() throws IOException {
    JsonNode report = json(cli("audit", "--helm-chart", CHART, "--helm-release", "shop",
        "-n", "prod", "-o", "json"));
    assertThat(sources(report)).containsOnlyKeys("ConfigMap/prod/shop-web-settings",
        "Deployment/prod/shop-web", "Service/prod/shop-web");
  }

  @Test
  void sarifAndJunitPointAtTheTemplateLineWhereTheDocumentStarts() throws IOException {
    // debug.yaml holds two documents; the Pod (privileged) starts at line 10, after a comment.
    JsonNode sarif = json(cli("audit", "--helm-chart", CHART, "--set", "debugPod=true",
        "-o", "sarif"));
    Map<String, String> locations = new TreeMap<>();
    for (JsonNode result : sarif.get("runs").get(0).get("results")) {
      JsonNode location = result.get("locations").get(0).get("physicalLocation");
      locations.put(result.get("properties").get("name").asText(),
          location.get("artifactLocation").get("uri").asText() + ":"
              + location.get("region").get("startLine").asInt());
    }
    assertThat(locations).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "release-name-web", CHART + "/templates/deployment.yaml:1",
        "release-name-web-debug", CHART + "/templates/debug.yaml:10")));

    CliRun junit = cli("audit", "--helm-chart", CHART, "--set", "debugPod=true", "-o", "junit");
    assertThat(junit.out()).contains("classname=\"default.Pod.release-name-web-debug\" "
        + "name=\"runAsPrivileged\" file=\"" + CHART + "/templates/debug.yaml\" line=\"10\"");
  }

  @Test
  void aChartCombinesWithPathsAndItsObjectsAreDefinedLast() throws IOException {
    Path file = Files.writeString(dir.resolve("web.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: release-name-web}
        spec:
          template:
            spec:
              containers: [{name: web, image: "web:latest"}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: other}
        spec:
          containers: [{name: app, image: "app:1.0"}]
        """);
    CliRun run = cli("audit", file.toString(), "--helm-chart", CHART, "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode report = JSON.readTree(run.out());
    assertThat(sources(report)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "ConfigMap/default/release-name-web-settings", CHART + "/templates/debug.yaml#0",
        "Deployment/default/release-name-web", CHART + "/templates/deployment.yaml#0",
        "Service/default/release-name-web", CHART + "/templates/service.yaml#0",
        "Pod/default/other", file + "#1")));
    assertThat(run.err()).startsWith("warning: Deployment/default/release-name-web is defined "
        + "twice: " + file + "#0 (line 1) and " + CHART + "/templates/deployment.yaml#0 (line 1)");
  }

  @Test
  void aRenderedDocumentThatIsNoObjectIsInvalidAsInAFile() throws IOException {
    Path chart = copyChart("web");
    Files.writeString(chart.resolve("templates/settings.yaml"), "settings:\n  a: 1\n");
    CliRun refused = cli("audit", "--helm-chart", chart.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("error: " + chart + "/templates/settings.yaml#0: not a "
        + "Kubernetes object (no apiVersion or kind)" + System.lineSeparator());

    CliRun skipped = cli("audit", "--helm-chart", chart.toString(), "--skip-invalid",
        "-o", "json");
    assertThat(skipped.exitCode()).isEqualTo(0);
    assertThat(JSON.readTree(skipped.out()).get("summary").get("skippedInvalid").asInt())
        .isEqualTo(1);
  }

  private Path copyChart(String name) throws IOException {
    Path target = dir.resolve(name);
    Path from = Path.of(CHART);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path to = target.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
    return target;
  }

  /** Each failure: exit 2, one line on stderr naming what is at fault, nothing on stdout. */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void aChartThatCannotBeRenderedIsOneLineAndExitTwo(String problem, List<String> args,
      String expected) throws IOException {
    Path broken = copyChart("broken");
    Files.writeString(broken.resolve("templates/cm.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Values.name | nosuchfunc }}
        """);
    Files.createDirectories(dir.resolve("no-chart"));
    Path withDependency = copyChart("with-dependency");
    Files.writeString(withDependency.resolve("Chart.yaml"), Files.readString(
        withDependency.resolve("Chart.yaml")) + "dependencies:\n  - name: redis\n"
        + "    version: 1.0.0\n    repository: https://charts.example.com\n");
    List<String> argv = new ArrayList<>(List.of("audit"));
    args.forEach(a -> argv.add(a.replace("$TMP", dir.toString())));
    CliRun run = cli(argv.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .isEqualTo("error: " + expected.replace("$TMP", dir.toString()))
        .doesNotContain("Exception", "com.marcnuri", "\tat ");
  }

  static Stream<Arguments> aChartThatCannotBeRenderedIsOneLineAndExitTwo() {
    String cannot = ": helm chart could not be rendered: ";
    return Stream.of(
        Arguments.of("broken template", List.of("--helm-chart", "$TMP/broken"),
            "$TMP/broken" + cannot + "parse error at (web/templates/cm.yaml:4): function "
                + "\"nosuchfunc\" not defined"),
        Arguments.of("dependency not built (nothing is downloaded)",
            List.of("--helm-chart", "$TMP/with-dependency"),
            "$TMP/with-dependency" + cannot + "An error occurred while checking for chart "
                + "dependencies. You may need to run `helm dependency build` to fetch missing "
                + "dependencies: found in Chart.yaml, but missing in charts/ directory: redis"),
        Arguments.of("missing directory", List.of("--helm-chart", "$TMP/nope"),
            "$TMP/nope" + cannot + "no such directory"),
        Arguments.of("not a chart", List.of("--helm-chart", "$TMP/no-chart"),
            "$TMP/no-chart" + cannot + "not a Helm chart: no Chart.yaml"),
        Arguments.of("missing values file",
            List.of("--helm-chart", CHART, "--values", "$TMP/prod.yaml"),
            CHART + cannot + "values file $TMP/prod.yaml does not exist"),
        Arguments.of("invalid --set path", List.of("--helm-chart", CHART, "--set", "a[x]=1"),
            CHART + cannot + "failed parsing --set data: error parsing index: strconv.Atoi: "
                + "parsing \"x\": invalid syntax"),
        Arguments.of("--set without a value", List.of("--helm-chart", CHART, "--set", "probes"),
            "--set: expected KEY=VALUE, not 'probes'"),
        Arguments.of("--values without a chart",
            List.of("examples/", "--values", PROBES_AND_LIMITS),
            "--values needs --helm-chart DIR"),
        Arguments.of("invalid release name",
            List.of("--helm-chart", CHART, "--helm-release", "Not_A_Name"),
            CHART + cannot + "release name \"Not_A_Name\": invalid release name, must match "
                + "regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ "
                + "and the length must not be longer than 53"));
  }

  @Test
  void withoutPathsOrAChartItIsAUsageError() {
    CliRun run = cli("audit");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("error: Missing required parameter: 'PATH|-' (or "
        + "--helm-chart DIR)" + System.lineSeparator()
        + "Run 'kube-devops audit --help' for usage." + System.lineSeparator());
  }
}
