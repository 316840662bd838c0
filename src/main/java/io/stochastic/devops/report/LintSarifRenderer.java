package io.stochastic.devops.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stochastic.devops.engine.policy.lint.LintProblem;
import io.stochastic.devops.engine.policy.lint.LintReport;
import io.stochastic.devops.engine.policy.lint.LintRule;
import io.stochastic.devops.engine.policy.lint.LintSeverity;
import java.io.IOException;
import java.io.Writer;

/**
 * The lint report as SARIF 2.1.0, for code-scanning annotations on the policy files of a pull
 * request: one rule per {@link LintRule}, one result per problem at its file and line. Errors are
 * SARIF errors, warnings warnings.
 */
final class LintSarifRenderer implements LintRenderer {
  private final ObjectMapper mapper = LintJsonRenderer.mapper();

  @Override
  public void render(LintReport report, String toolVersion, boolean color, Writer out)
      throws IOException {
    ObjectNode sarif = mapper.createObjectNode();
    sarif.put("$schema", SarifReportRenderer.SCHEMA);
    sarif.put("version", "2.1.0");
    ObjectNode run = sarif.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "kube-devops");
    driver.put("semanticVersion", toolVersion.replaceFirst("-SNAPSHOT$", ""));
    driver.put("version", toolVersion);
    driver.put("informationUri", SarifReportRenderer.INFORMATION_URI);
    ArrayNode rules = driver.putArray("rules");
    for (LintRule rule : LintRule.values()) {
      ObjectNode r = rules.addObject();
      r.put("id", rule.id());
      r.put("name", rule.id());
      r.putObject("shortDescription").put("text", rule.description());
      r.putObject("defaultConfiguration").put("level", level(rule.severity()));
      r.putObject("properties").putArray("tags").add("kubernetes").add("policy");
    }
    ArrayNode results = run.putArray("results");
    for (LintProblem p : report.problems()) {
      ObjectNode result = results.addObject();
      result.put("ruleId", p.rule().id());
      result.put("ruleIndex", p.rule().ordinal());
      result.put("level", level(p.severity()));
      String field = p.field().isRoot() ? "" : p.field() + ": ";
      result.putObject("message").put("text", field + p.message());
      ObjectNode location = result.putArray("locations").addObject();
      if (!p.file().startsWith("<")) {
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", SarifLocations.uri(p.file()));
        if (p.line() > 0) {
          physical.putObject("region").put("startLine", p.line());
        }
      }
      String qualified = (p.policy() == null ? p.source() : p.policy())
          + (p.field().isRoot() ? "" : "/" + p.field());
      location.putArray("logicalLocations").addObject()
          .put("name", p.field().isRoot() ? p.source() : p.field().toString())
          .put("fullyQualifiedName", qualified)
          .put("kind", "property");
      result.putObject("partialFingerprints").put("kubeDevopsLint/v1",
          SarifReportRenderer.fingerprint(p.rule().id() + "|" + p.source() + "|" + p.field()));
      ObjectNode properties = result.putObject("properties");
      if (p.document() != null) {
        properties.put("document", p.document());
      }
      properties.put("field", p.field().isRoot() ? "" : p.field().toString());
      if (p.policy() != null) {
        properties.put("policy", p.policy());
      }
    }
    run.putArray("invocations").addObject().put("executionSuccessful", true);
    run.put("columnKind", "utf16CodeUnits");
    mapper.writeValue(out, sarif);
    out.write(System.lineSeparator());
  }

  private static String level(LintSeverity severity) {
    return severity == LintSeverity.ERROR ? "error" : "warning";
  }
}
