package io.stochastic.devops.report;

import io.stochastic.devops.api.ApiGroup;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stochastic.devops.engine.policy.lint.LintProblem;
import io.stochastic.devops.engine.policy.lint.LintReport;
import java.io.IOException;
import java.io.Writer;

/**
 * The lint report for bots: a summary and every problem with its file, document, line (when
 * known), field, message, severity, rule and policy.
 */
final class LintJsonRenderer implements LintRenderer {
  private final ObjectMapper mapper = mapper();

  /** Indented JSON that leaves the caller's stream open. */
  static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }

  @Override
  public void render(LintReport report, String toolVersion, boolean color, Writer out)
      throws IOException {
    ObjectNode root = mapper.createObjectNode();
    root.put("apiVersion", ApiGroup.API_VERSION);
    root.put("kind", "PolicyLintReport");
    ObjectNode summary = root.putObject("summary");
    summary.put("files", report.files());
    summary.put("policies", report.policies());
    summary.put("skipped", report.ignored());
    summary.put("errors", report.errors());
    summary.put("warnings", report.warnings());
    summary.put("unreadable", report.unreadable());
    ArrayNode problems = root.putArray("problems");
    for (LintProblem p : report.problems()) {
      ObjectNode problem = problems.addObject();
      problem.put("file", p.file());
      if (p.document() != null) {
        problem.put("document", p.document());
      }
      if (p.line() > 0) {
        problem.put("line", p.line());
      }
      problem.put("field", p.field().isRoot() ? "" : p.field().toString());
      problem.put("message", p.message());
      problem.put("severity", p.severity().id());
      problem.put("rule", p.rule().id());
      if (p.policy() != null) {
        problem.put("policy", p.policy());
      }
    }
    mapper.writeValue(out, root);
    out.write(System.lineSeparator());
  }
}
