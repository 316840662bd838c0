package io.stochastic.devops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ReportRenderersTest {
  static final Path GOLDEN = Path.of("src/test/resources/report/expected-report.json");
  static final Path DOC = Path.of("docs/report-format.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String render(ReportFormat format, boolean showPassed, boolean color)
      throws IOException {
    StringWriter out = new StringWriter();
    ReportRenderer.of(format).render(ReportFixture.context(showPassed, color), out);
    return out.toString();
  }

  /**
   * Pins the JSON report (DESIGN.md §3 contract): regenerate with
   * {@code -Dkube-devops.update-golden=true} only for a deliberate, additive change.
   */
  @Test
  void jsonReportMatchesThePinnedFormat() throws IOException {
    String actual = render(ReportFormat.JSON, false, false);
    if (Boolean.getBoolean("kube-devops.update-golden")) {
      Files.writeString(GOLDEN, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(GOLDEN));
  }

  @Test
  void theDocumentedReportIsTheRealOne() throws IOException {
    String doc = Files.readString(DOC);
    assertThat(doc).as("docs/report-format.md shows the pinned report verbatim")
        .contains(Files.readString(GOLDEN).strip());
  }

  @Test
  void jsonReportHasTheContractFields() throws IOException {
    JsonNode report = JSON.readTree(render(ReportFormat.JSON, false, false));
    assertThat(report.get("apiVersion").asText()).isEqualTo("devops.stochastic.io/v1");
    assertThat(report.get("kind").asText()).isEqualTo("AuditReport");
    assertThat(report.get("summary").get("workloads").asInt()).isEqualTo(3);
    assertThat(report.get("summary").get("skipped").asInt()).isEqualTo(1);
    JsonNode worker = report.get("workloads").get(2);
    assertThat(worker.get("source").asText()).endsWith("workloads.yaml#3");
    assertThat(worker.get("findings")).anySatisfy(f -> {
      assertThat(f.get("check").asText()).isEqualTo("restartCountTooHigh");
      assertThat(f.get("message").asText()).isEqualTo(
          "Container worker restarted 9 times (more than 5)");
      assertThat(f.get("remediable").asBoolean()).isFalse();
    });
    assertThat(report.get("workloads").get(0).get("findings")).anySatisfy(f -> {
      assertThat(f.get("check").asText()).isEqualTo("memoryLimitsMissing");
      assertThat(f.get("remediable").asBoolean()).isTrue();
    });
  }

  @Test
  void showPassedAddsPassingResults() throws IOException {
    JsonNode report = JSON.readTree(render(ReportFormat.JSON, true, false));
    JsonNode api = report.get("workloads").get(1);
    assertThat(api.get("score").asInt()).isEqualTo(100);
    assertThat(api.get("findings")).isNotEmpty().allSatisfy(f ->
        assertThat(f.get("passed").asBoolean()).isTrue());
  }

  @Test
  void yamlReportIsTheSameDocumentAsJson() throws IOException {
    JsonNode yaml = new YAMLMapper().readTree(render(ReportFormat.YAML, false, false));
    assertThat(yaml).isEqualTo(JSON.readTree(render(ReportFormat.JSON, false, false)));
  }

  @Test
  void sarifValidatesAgainstTheSarif210Schema() throws IOException {
    String sarif = render(ReportFormat.SARIF, false, false);
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Files.readString(Path.of("src/test/resources/sarif/sarif-2.1.0.json")));
    Set<ValidationMessage> problems = schema.validate(JSON.readTree(sarif));
    assertThat(problems).isEmpty();

    JsonNode run = JSON.readTree(sarif).get("runs").get(0);
    assertThat(run.get("tool").get("driver").get("rules")).extracting(r -> r.get("id").asText())
        .contains("tagNotSpecified", "memoryLimitsMissing", "restartCountTooHigh");
    JsonNode result = run.get("results").get(0);
    assertThat(result.get("locations").get(0).get("physicalLocation").get("artifactLocation")
        .get("uri").asText()).isEqualTo("src/test/resources/report/workloads.yaml");
    assertThat(result.get("locations").get(0).get("physicalLocation").get("region")
        .get("startLine").asInt()).isEqualTo(3);
    assertThat(run.get("results")).anySatisfy(r -> {
      assertThat(r.get("ruleId").asText()).isEqualTo("tagNotSpecified");
      assertThat(r.get("level").asText()).isEqualTo("error");
    });
  }

  @Test
  void sarifUrisAreValidUriReferencesWithSpacesHashesAndPercentsEscaped() throws Exception {
    String[][] table = {
        {"k8s/web.yaml", "k8s/web.yaml"},
        {"k8s/my app/web.yaml", "k8s/my%20app/web.yaml"},
        {"k8s/#1/web#2.yaml", "k8s/%231/web%232.yaml"},
        {"k8s/100%/what?.yaml", "k8s/100%25/what%3F.yaml"},
        {"k8s\\win\\web.yaml", "k8s/win/web.yaml"},
        {"café/web.yaml", "caf%C3%A9/web.yaml"},
        {"a:b/web.yaml", "./a:b/web.yaml"},
    };
    for (String[] row : table) {
      String uri = SarifLocations.uri(row[0]);
      assertThat(uri).as(row[0]).isEqualTo(row[1]);
      java.net.URI parsed = new java.net.URI(uri);
      assertThat(parsed.isAbsolute()).as(row[0]).isFalse();
      assertThat(parsed.getFragment()).as(row[0]).isNull();
    }
    Path absolute = Path.of("/tmp/my app/#1.yaml");
    assertThat(SarifLocations.uri(absolute.toString())).isEqualTo("file:///tmp/my%20app/%231.yaml");
  }

  @Test
  void junitHasOneTestcasePerWorkloadAndCheck() throws Exception {
    String xml = render(ReportFormat.JUNIT, false, false);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml)));
    Element root = doc.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    NodeList suites = root.getElementsByTagName("testsuite");
    assertThat(suites.getLength()).isEqualTo(3);
    Element web = (Element) suites.item(0);
    assertThat(web.getAttribute("name")).isEqualTo("shop.Deployment.web");
    // web: tagNotSpecified, livenessProbeMissing, cpuLimitsMissing, memoryLimitsMissing
    assertThat(web.getElementsByTagName("testcase").getLength()).isEqualTo(4);
    assertThat(web.getAttribute("failures")).isEqualTo("1");
    NodeList failures = web.getElementsByTagName("failure");
    assertThat(failures.getLength()).isEqualTo(1);
    Element failure = (Element) failures.item(0);
    assertThat(failure.getAttribute("type")).isEqualTo("medium");
    assertThat(failure.getAttribute("message")).isEqualTo("Container nginx has no memory limit");
    assertThat(((Element) failure.getParentNode()).getAttribute("name"))
        .isEqualTo("memoryLimitsMissing");
    int testcases = root.getElementsByTagName("testcase").getLength();
    assertThat(root.getAttribute("tests")).isEqualTo(Integer.toString(testcases));
    assertThat(xml.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
  }

  @Test
  void tableGroupsByNamespaceAndColoursOnlyWhenAsked() throws IOException {
    String plain = render(ReportFormat.TABLE, false, false);
    assertThat(plain).doesNotContain("\u001b[");
    assertThat(plain.indexOf("NAMESPACE shop")).isLessThan(plain.indexOf("NAMESPACE batch"));
    assertThat(plain).contains("Deployment web").contains("memoryLimitsMissing")
        .contains("3 workloads audited").contains("Score: ");
    String coloured = render(ReportFormat.TABLE, false, true);
    assertThat(coloured).contains("\u001b[31mhigh");
  }

  @Test
  void githubAndMarkdownEscapeWhatWouldBreakTheirSyntax() throws IOException {
    assertThat(GithubReportRenderer.data("50% done\nnext")).isEqualTo("50%25 done%0Anext");
    assertThat(GithubReportRenderer.property("a:b,c")).isEqualTo("a%3Ab%2Cc");
    assertThat(MarkdownReportRenderer.cell("a | b <x>\nc")).isEqualTo("a \\| b &lt;x&gt; c");
    String github = render(ReportFormat.GITHUB, false, false);
    assertThat(github.lines()).allMatch(l -> l.matches("::(error|warning|notice) .*::.+"));
    String markdown = render(ReportFormat.MARKDOWN, false, false);
    assertThat(markdown).startsWith("## kube-devops audit: ").contains("| Severity | Check |");
  }
}
