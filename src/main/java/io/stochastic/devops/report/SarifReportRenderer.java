package io.stochastic.devops.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.InvalidDocument;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SARIF 2.1.0 for code-scanning annotations (GitHub, GitLab, Azure DevOps): one rule per check
 * that produced a result, one result per failed check result, located at the manifest file and
 * the line its document starts on. Severity maps to level: critical and high are errors, medium
 * warnings, low notes. Documents {@code --skip-invalid} skipped are warning notifications of the
 * invocation ({@code toolExecutionNotifications}): not findings, but not hidden either.
 */
final class SarifReportRenderer implements ReportRenderer {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String INFORMATION_URI = "https://github.com/stochastic-io/kube-devops";
  private final ObjectMapper mapper = LintJsonRenderer.mapper();

  @Override
  public void render(ReportContext context, Writer out) throws IOException {
    ObjectNode sarif = mapper.createObjectNode();
    sarif.put("$schema", SCHEMA);
    sarif.put("version", "2.1.0");
    ObjectNode run = sarif.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "kube-devops");
    driver.put("semanticVersion", context.toolVersion().replaceFirst("-SNAPSHOT$", ""));
    driver.put("version", context.toolVersion());
    driver.put("informationUri", INFORMATION_URI);
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    ArrayNode results = run.putArray("results");
    for (SubjectResult subject : context.result().subjects()) {
      for (CheckResult r : subject.results()) {
        if (r.passed()) {
          continue;
        }
        Integer index = ruleIndex.get(r.check());
        if (index == null) {
          index = rules.size();
          ruleIndex.put(r.check(), index);
          addRule(rules, r, context.checks().get(r.check()));
        }
        addResult(results, subject.object(), r, index);
      }
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", true);
    if (!context.invalid().isEmpty()) {
      ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
      for (InvalidDocument document : context.invalid()) {
        ObjectNode notification = notifications.addObject();
        notification.put("level", "warning");
        notification.putObject("message").put("text", "skipped (--skip-invalid): "
            + document);
      }
    }
    run.put("columnKind", "utf16CodeUnits");
    mapper.writeValue(out, sarif);
    out.write(System.lineSeparator());
  }

  private static void addRule(ArrayNode rules, CheckResult result, CheckDefinition definition) {
    ObjectNode rule = rules.addObject();
    rule.put("id", result.check());
    String description = definition == null || definition.description().isEmpty()
        ? result.check() : definition.description();
    rule.putObject("shortDescription").put("text", description);
    rule.putObject("fullDescription").put("text", description);
    if (definition != null && !definition.howToFix().isEmpty()) {
      rule.putObject("help").put("text", definition.howToFix());
    }
    if (definition != null && !definition.references().isEmpty()) {
      rule.put("helpUri", definition.references().get(0));
    }
    Severity severity = definition == null ? result.severity() : definition.severity();
    rule.putObject("defaultConfiguration").put("level", level(severity));
    ObjectNode properties = rule.putObject("properties");
    properties.put("category", result.category().id());
    properties.putArray("tags").add("kubernetes").add(result.category().id());
  }

  private static void addResult(ArrayNode results, KubeObject object, CheckResult r, int index) {
    ObjectNode result = results.addObject();
    result.put("ruleId", r.check());
    result.put("ruleIndex", index);
    result.put("level", level(r.severity()));
    result.putObject("message").put("text", r.message());
    ObjectNode location = result.putArray("locations").addObject();
    String file = object.file();
    if (file != null && !file.startsWith("<")) {
      ObjectNode physical = location.putObject("physicalLocation");
      physical.putObject("artifactLocation").put("uri", SarifLocations.uri(file));
      if (object.line() > 0) {
        physical.putObject("region").put("startLine", object.line());
      }
    }
    String qualified = (object.namespace() == null ? "" : object.namespace() + "/")
        + object.kind() + "/" + object.name()
        + (r.container() == null ? "" : "/" + r.container());
    location.putArray("logicalLocations").addObject()
        .put("name", r.container() == null ? object.name() : r.container())
        .put("fullyQualifiedName", qualified)
        .put("kind", r.container() == null ? "object" : "member");
    result.putObject("partialFingerprints").put("kubeDevopsFinding/v1",
        fingerprint(r.check() + "|" + qualified));
    ObjectNode properties = result.putObject("properties");
    properties.put("severity", r.severity().id());
    properties.put("kind", object.kind());
    if (object.namespace() != null) {
      properties.put("namespace", object.namespace());
    }
    properties.put("name", object.name());
    if (r.container() != null) {
      properties.put("container", r.container());
    }
    properties.put("remediable", r.remediable());
  }

  static String level(Severity severity) {
    return switch (severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW -> "note";
    };
  }

  static String fingerprint(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
