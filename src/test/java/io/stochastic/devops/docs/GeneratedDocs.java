package io.stochastic.devops.docs;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.cli.Application;
import io.stochastic.devops.cli.Main;
import io.stochastic.devops.cli.Terminal;
import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.deploy.RbacModel;
import io.stochastic.devops.deploy.RbacRule;
import io.stochastic.devops.deploy.observability.AlertRules;
import io.stochastic.devops.deploy.observability.AlertThresholds;
import io.stochastic.devops.deploy.observability.Dashboard;
import io.stochastic.devops.deploy.observability.PromQlReferences;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.check.Target;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.metrics.MetricCatalog;
import io.stochastic.devops.metrics.MetricDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The parts of docs/ generated from the code: the check catalog ({@code docs/checks.md}), the
 * CLI reference ({@code docs/cli.md}), the RBAC tables and the metrics, dashboard and alerts of
 * {@code docs/observability.md}. {@link GeneratedDocsTest} fails when they drift;
 * {@code ./mvnw test -Dtest=GeneratedDocsTest -Dkube-devops.update-docs=true} rewrites them.
 */
final class GeneratedDocs {
  static final Path CHECKS = Path.of("docs/checks.md");
  static final Path CLI = Path.of("docs/cli.md");
  static final Path BASELINE = Path.of("policies/bundles/baseline.yaml");
  static final Path OBSERVABILITY = Path.of("docs/observability.md");
  private static final String NOTICE = "<!-- Generated from the code by GeneratedDocsTest: "
      + "edit the check files and commands, then run ./mvnw test -Dtest=GeneratedDocsTest "
      + "-Dkube-devops.update-docs=true -->";

  private GeneratedDocs() {}

  static String checks() throws IOException {
    Map<String, String> baselineReasons = baselineReasons();
    List<String> bundles = new ArrayList<>(TestUtils.bundles().names());
    Map<String, EffectivePolicy> resolved = new LinkedHashMap<>();
    for (String bundle : bundles) {
      resolved.put(bundle, TestUtils.bundle(bundle));
    }
    StringBuilder md = new StringBuilder();
    md.append(NOTICE).append("\n\n# Check catalog\n\n");
    md.append("Every built-in check: one YAML file per check under `src/main/resources/checks/`, "
        + "its predicate in CEL ([writing checks](writing-checks.md)). Severity is the default; "
        + "a policy's `severityOverrides` changes it or turns the check `off`, and its "
        + "`checkParameters` sets a check's parameters "
        + "([policies/README.md](../policies/README.md#how-a-policy-is-resolved)). Bundles: "
        + "`restricted` enables every check, `baseline` (the default) every check a typical "
        + "production namespace should pass, `permissive` only the critical and high ones; "
        + "`pss-baseline` and `pss-restricted` only the Pod Security Standards controls of their "
        + "level ([policies.md](policies.md"
        + "#pod-security-standards-pss-baseline-and-pss-restricted)). "
        + "*Remediable*: the check has a JSON Patch fix (some need values from the policy's "
        + "`spec.remediation`), which [enforce mode](operator.md#enforcement) applies to the "
        + "workload; *risky*: the fix can stop a workload from running (a process that needs "
        + "root, a capability, a writable root filesystem or the host's network), so it is "
        + "applied only for a policy that lists the check in "
        + "`spec.remediation.allowRiskyFixes`.\n\n");
    md.append(String.format("%d checks.%n%n", TestUtils.catalog().definitions().size()));
    md.append("| check | category | target | severity | ")
        .append(String.join(" | ", bundles)).append(" | remediable | what it verifies |\n");
    md.append("|---|---|---|---|").append("---|".repeat(bundles.size())).append("---|---|\n");
    for (CheckDefinition c : TestUtils.catalog().definitions()) {
      md.append("| [`").append(c.id()).append("`](#").append(c.id().toLowerCase())
          .append(") | ").append(c.category().id()).append(" | ").append(c.target().id())
          .append(" | ").append(c.severity().id()).append(" | ");
      for (String bundle : bundles) {
        md.append(resolved.get(bundle).check(c.id()).isPresent() ? "yes" : "–").append(" | ");
      }
      md.append(c.riskyFix() ? "risky" : c.remediable() ? "yes" : "no").append(" | ")
          .append(cell(c.description()))
          .append(" |\n");
    }
    for (CheckDefinition c : TestUtils.catalog().definitions()) {
      md.append("\n## ").append(c.id()).append("\n\n");
      md.append(c.description()).append("\n\n");
      md.append("- **Category** ").append(c.category().id()).append(", **default severity** ")
          .append(c.severity().id()).append(", **target** ").append(c.target().id());
      if (c.target() == Target.CONTAINER) {
        md.append(" (").append(c.containerTypes().stream().map(t -> t.id() + "s").sorted()
            .collect(Collectors.joining(", "))).append(")");
      }
      md.append("\n");
      md.append("- **Applies to** ").append(appliesTo(c)).append("\n");
      String reason = baselineReasons.get(c.id());
      md.append("- **Bundles** ").append(bundles.stream()
          .filter(b -> resolved.get(b).check(c.id()).isPresent())
          .collect(Collectors.joining(", ")));
      if (reason != null) {
        md.append("; not in baseline: ").append(reason);
      }
      md.append("\n");
      if (!c.params().isEmpty()) {
        md.append("- **Parameters** ").append(c.params().entrySet().stream()
            .map(e -> "`" + e.getKey() + "` (" + paramDefault(c.id(), e.getValue()) + ")")
            .collect(Collectors.joining(", "))).append("; settable with `spec.checkParameters.")
            .append(c.id()).append(".<parameter>`\n");
      }
      md.append("- **Remediation** ").append(c.riskyFix() ? "risky, opt-in: " : "")
          .append(c.remediable() ? "JSON Patch " + c.patch().stream()
          .map(op -> "`" + op.get("op") + " " + op.get("path")
              + (op.containsKey("value") ? " " + op.get("value") : "") + "`")
          .collect(Collectors.joining(", ")) : "none (needs a person's judgement)").append("\n");
      md.append("\n**How to fix.** ").append(c.howToFix()).append("\n");
      md.append("\n```cel\n").append(c.expression().strip()).append("\n```\n");
      if (!c.references().isEmpty()) {
        md.append("\n").append(c.references().stream().map(r -> "<" + r + ">")
            .collect(Collectors.joining(" "))).append("\n");
      }
    }
    return md.toString();
  }

  /** A parameter's default; a table (a map of maps: the API deprecations) by its size. */
  private static String paramDefault(String id, Object value) {
    if (value instanceof Map<?, ?> table && table.values().stream()
        .allMatch(v -> v instanceof Map<?, ?>)) {
      int entries = table.values().stream().mapToInt(v -> ((Map<?, ?>) v).size()).sum();
      return "a table of " + entries + " entries under " + table.size()
          + " keys: `kube-devops checks show " + id + "`";
    }
    return "default " + codeSpan(String.valueOf(value));
  }

  static final Path VAP = Path.of("docs/vap.md");

  /** Every catalog check: whether policy export-vap exports it, and where it stays if not. */
  static String vapTable() {
    var exporter = new io.stochastic.devops.engine.vap.VapExporter(TestUtils.celEnvironment(),
        io.stochastic.devops.engine.EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    StringBuilder md = new StringBuilder("| check | target | exports | stays with the webhook / "
        + "operator because |\n|---|---|---|---|\n");
    int exported = 0;
    List<CheckDefinition> all = TestUtils.catalog().definitions().stream()
        .sorted(java.util.Comparator.comparing(CheckDefinition::id)).toList();
    for (CheckDefinition c : all) {
      var obstacle = exporter.obstacle(c);
      exported += obstacle.isEmpty() ? 1 : 0;
      md.append("| [").append(c.id()).append("](checks.md#").append(c.id().toLowerCase())
          .append(") | ").append(c.target().id()).append(" | ")
          .append(obstacle.isEmpty() ? "yes" : "no").append(" | ")
          .append(obstacle.map(GeneratedDocs::cell).orElse("")).append(" |\n");
    }
    md.append("\n").append(exported).append(" of ").append(all.size())
        .append(" checks export.\n");
    return md.toString();
  }

  private static String appliesTo(CheckDefinition c) {
    if (c.judgesAnyKind()) {
      return "every kind of object, workloads included";
    }
    if (c.target() == Target.OBJECT) {
      return String.join(", ", c.kinds().stream().sorted().toList());
    }
    String kinds = c.kinds().isEmpty() ? "every workload kind"
        : String.join(", ", c.kinds().stream().sorted().toList());
    return c.excludeKinds().isEmpty() ? kinds
        : kinds + " except " + String.join(", ", c.excludeKinds().stream().sorted().toList());
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** The comment above each {@code id: "off"} line of baseline.yaml: why it is not in baseline. */
  static Map<String, String> baselineReasons() throws IOException {
    Map<String, String> reasons = new LinkedHashMap<>();
    Pattern off = Pattern.compile("^\\s+([a-zA-Z0-9]+):\\s*\"off\"");
    List<String> comment = new ArrayList<>();
    for (String line : Files.readAllLines(BASELINE)) {
      String stripped = line.strip();
      Matcher m = off.matcher(line);
      if (stripped.startsWith("#")) {
        comment.add(stripped.substring(1).strip());
      } else if (m.find()) {
        reasons.put(m.group(1), String.join(" ", comment));
        comment.clear();
      } else {
        comment.clear();
      }
    }
    return reasons;
  }

  static String cli() {
    StringBuilder md = new StringBuilder();
    md.append(NOTICE).append("\n\n# CLI reference\n\n");
    md.append("`kube-devops` is one executable (`bin/kube-devops`, a launcher over the jar). "
        + "Every command prints one error line and exits 2 on bad input; `--debug` adds the "
        + "stack trace. Exit codes: 0 success, 1 the policy gate failed (or differences "
        + "found), 2 usage error, unreadable input or unreachable cluster.\n");
    CommandLine root = Main.commandLine(new Application(TestUtils.CLOCK, System.in,
        new Terminal(false, Map.of())), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    appendUsage(md, root);
    return md.toString();
  }

  private static void appendUsage(StringBuilder md, CommandLine command) {
    command.setUsageHelpAutoWidth(false);
    command.setUsageHelpWidth(100);
    md.append("\n## ").append(command.getCommandSpec().qualifiedName()).append("\n\n```\n")
        .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
        .append("\n```\n");
    for (CommandLine sub : command.getSubcommands().values()) {
      appendUsage(md, sub);
    }
  }

  /**
   * The rules of {@code component} as a Markdown table: where each applies, what it grants and
   * why, straight from the RBAC model the generator prints.
   */
  static String rbacTable(Component component) {
    RbacModel model = new RbacModel(TestUtils.catalog().definitions());
    StringBuilder md = new StringBuilder("| scope | resources | verbs | why |\n|---|---|---|---|\n");
    for (RbacRule rule : model.of(component).rules()) {
      String resources = rule.qualifiedResources().stream().map(GeneratedDocs::codeSpan)
          .collect(Collectors.joining(", "));
      if (!rule.resourceNames().isEmpty()) {
        resources += " named " + rule.resourceNames().stream().map(GeneratedDocs::codeSpan)
            .collect(Collectors.joining(", "));
      }
      md.append("| ").append(rule.scope() == RbacRule.Scope.CLUSTER ? "cluster"
              : "own namespace").append(" | ").append(resources).append(" | ")
          .append(String.join(", ", rule.verbs())).append(" | ").append(cell(rule.why()))
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * {@code page} with the text between {@code <!-- generated: id -->} and {@code <!-- end
   * generated -->} replaced by {@code content}: generated parts of hand-written pages.
   */
  static String withSection(String page, String id, String content) {
    String begin = "<!-- generated: " + id + " -->\n";
    String end = "<!-- end generated -->";
    int from = page.indexOf(begin);
    if (from < 0) {
      throw new IllegalStateException("no " + begin.strip() + " in the page");
    }
    int to = page.indexOf(end, from);
    return page.substring(0, from + begin.length()) + content + page.substring(to);
  }

  /** Every metric, per component: name, type, labels, help, from the metrics classes. */
  static String metricsTables() {
    Map<String, List<MetricDefinition>> byComponent = MetricCatalog.definitions().stream()
        .collect(Collectors.groupingBy(MetricDefinition::component, java.util.TreeMap::new,
            Collectors.toList()));
    StringBuilder md = new StringBuilder();
    md.append(String.format("%d metrics.%n", MetricCatalog.definitions().size()));
    for (Map.Entry<String, List<MetricDefinition>> entry : byComponent.entrySet()) {
      Component component = Component.valueOf(entry.getKey().toUpperCase(java.util.Locale.ROOT));
      md.append("\n#### ").append(entry.getKey()).append("\n\n")
          .append("`kube-devops ").append(component.command()).append("`, ")
          .append(component.metricsPort().isPresent()
              ? "scraped on port " + component.metricsPort().getAsInt() + " (`/metrics`)"
              : "pushed to the Pushgateway (grouping key `job`, `cluster`)")
          .append(".\n\n| metric | type | labels | help |\n|---|---|---|---|\n");
      for (MetricDefinition metric : entry.getValue()) {
        md.append("| `").append(metric.name()).append("` | ").append(metric.typeName())
            .append(" | ").append(metric.labels().stream().map(GeneratedDocs::codeSpan)
                .collect(Collectors.joining(", "))).append(" | ").append(cell(metric.help()))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  /** The dashboard's rows and panels, and the metrics each panel queries. */
  static String dashboardTables() {
    StringBuilder md = new StringBuilder();
    for (Dashboard.Row row : Dashboard.rows()) {
      md.append("\n#### ").append(row.title()).append("\n\n").append(row.description())
          .append("\n\n| panel | shows | metrics |\n|---|---|---|\n");
      for (Dashboard.Panel panel : row.panels()) {
        java.util.Set<String> metrics = new java.util.TreeSet<>();
        for (Dashboard.Query query : panel.queries()) {
          PromQlReferences.seriesNames(query.expr())
              .forEach(n -> metrics.add(n.replaceAll("_(bucket|count|sum)$", "")));
        }
        md.append("| ").append(panel.title()).append(" | ").append(cell(panel.description()))
            .append(" | ").append(metrics.stream().map(GeneratedDocs::codeSpan)
                .collect(Collectors.joining(", "))).append(" |\n");
      }
    }
    return md.toString();
  }

  /** Every alert with the default thresholds, linked to its runbook paragraph. */
  static String alertsTable() {
    AlertRules rules = new AlertRules(AlertThresholds.DEFAULTS, AlertRules.DEFAULT_RUNBOOK_URL);
    StringBuilder md = new StringBuilder("| alert | fires when | for | severity |\n"
        + "|---|---|---|---|\n");
    for (AlertRules.Alert alert : rules.alerts()) {
      md.append("| [").append(alert.name()).append("](#").append(alert.anchor()).append(") | ")
          .append(codeSpan(alert.expr())).append(" | ")
          .append(alert.forDuration().toMinutes()).append(" min | ").append(alert.severity())
          .append(" |\n");
    }
    return md.toString();
  }

  /** docs/observability.md with its generated sections current. */
  static String observability(String page) {
    String out = withSection(page, "metrics", metricsTables());
    out = withSection(out, "dashboard", dashboardTables());
    return withSection(out, "alerts", alertsTable());
  }

  /** Text as a Markdown code span: regular expressions and lists are not read as links. */
  static String codeSpan(String text) {
    String fence = text.contains("`") ? "`` " : "`";
    return fence + text + (fence.length() > 1 ? " ``" : "`");
  }
}
