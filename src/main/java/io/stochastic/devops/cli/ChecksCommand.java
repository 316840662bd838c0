package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops checks list|show}: the check catalog. */
@Command(name = "checks", description = "Show the check catalog.",
    subcommands = {ChecksCommand.ListChecks.class, ChecksCommand.ShowCheck.class})
final class ChecksCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required: list or show");
  }

  enum Format { table, json, yaml }

  /** The bundles that enable a check (as resolved, not as written). */
  static List<String> bundlesEnabling(Application application, String id) {
    List<String> names = new ArrayList<>();
    for (String bundle : application.bundles().names()) {
      EffectivePolicy policy = application.policyResolver().bundle(bundle);
      if (policy.check(id).isPresent()) {
        names.add(bundle);
      }
    }
    return names;
  }

  /** The error of a check id the catalog does not know, with the ids closest to it. */
  static UserException unknownCheck(Application application, String id) {
    List<String> ids = application.catalog().definitions().stream().map(CheckDefinition::id)
        .toList();
    return new UserException("unknown check " + Suggestions.quoted(id)
        + Suggestions.didYouMean(id, ids)
        + " (see 'kube-devops checks list')");
  }

  static ObjectMapper mapper(Format format) {
    if (format == Format.yaml) {
      return new ObjectMapper(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
          .build());
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Command(name = "list", description = {"List every check: id, category, target, default "
      + "severity, the bundles that enable it, whether kube-devops can remediate it.",
      "-o json gives the contract format: an array of {id, category, target, severity, "
          + "description, remediable}."})
  static final class ListChecks implements Runnable {
    private final Application application;
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table, json or yaml (default: ${DEFAULT-VALUE}).",
        completionCandidates = FormatCandidates.class)
    String output;

    @Option(names = "--category", paramLabel = "CATEGORY",
        description = "Only checks of this category (security, reliability, efficiency, runtime).")
    String category;

    ListChecks(Application application) {
      this.application = application;
    }

    static final class FormatCandidates implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        return OutputFormat.names(Format.class).iterator();
      }
    }

    @Override
    public void run() {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      Category only = category == null ? null : parseCategory(category);
      List<CheckDefinition> checks = application.catalog().definitions().stream()
          .filter(c -> only == null || c.category() == only)
          .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (format == Format.table) {
        printTable(out, checks);
      } else {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckDefinition c : checks) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("id", c.id());
          row.put("category", c.category().id());
          row.put("target", c.target().id());
          row.put("severity", c.severity().id());
          row.put("description", c.description());
          row.put("remediable", c.remediable());
          rows.add(row);
        }
        try {
          out.print(mapper(format).writeValueAsString(rows));
          if (format == Format.json) {
            out.println();
          }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      out.flush();
    }

    private static Category parseCategory(String value) {
      try {
        return Category.parse(value);
      } catch (IllegalArgumentException e) {
        throw OutputFormat.invalid(value, "--category", java.util.Arrays.stream(
            Category.values()).map(Category::id).toList());
      }
    }

    private void printTable(PrintWriter out, List<CheckDefinition> checks) {
      int width = "ID".length();
      for (CheckDefinition c : checks) {
        width = Math.max(width, c.id().length());
      }
      int bundlesWidth = "BUNDLES".length();
      for (CheckDefinition c : checks) {
        bundlesWidth = Math.max(bundlesWidth,
            String.join(",", bundlesEnabling(application, c.id())).length());
      }
      String row = "%-" + width + "s  %-11s  %-9s  %-8s  %-" + bundlesWidth + "s  %-10s  %s%n";
      out.printf(row, "ID", "CATEGORY", "TARGET", "SEVERITY", "BUNDLES", "REMEDIABLE",
          "DESCRIPTION");
      for (CheckDefinition c : checks) {
        out.printf(row, c.id(), c.category().id(), c.target().id(), c.severity().id(),
            String.join(",", bundlesEnabling(application, c.id())),
            c.riskyFix() ? "risky" : c.remediable() ? "yes" : "no", c.description());
      }
      int total = application.catalog().definitions().size();
      out.printf("%n%d checks%s%n", checks.size(),
          checks.size() == total ? "" : " of the " + total + " in the catalog");
    }
  }

  @Command(name = "show", description = "Show one check in full: what it verifies, how to fix "
      + "a failure, its CEL predicate, its remediation patch and the bundles that enable it.")
  static final class ShowCheck implements Runnable {
    private final Application application;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "A check id (see 'kube-devops checks list').")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (readable text), json or yaml (default: ${DEFAULT-VALUE}).",
        completionCandidates = ListChecks.FormatCandidates.class)
    String output;

    ShowCheck(Application application) {
      this.application = application;
    }

    @Override
    public void run() {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      CheckDefinition c = application.catalog().find(id).orElseThrow(() ->
          unknownCheck(application, id));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("id", c.id());
      details.put("category", c.category().id());
      details.put("target", c.target().id());
      details.put("severity", c.severity().id());
      details.put("bundles", bundlesEnabling(application, c.id()));
      details.put("description", c.description());
      details.put("howToFix", c.howToFix());
      if (!c.kinds().isEmpty()) {
        details.put("kinds", c.kinds().stream().sorted().toList());
      }
      if (!c.excludeKinds().isEmpty()) {
        details.put("excludeKinds", c.excludeKinds().stream().sorted().toList());
      }
      if (c.target() == io.stochastic.devops.engine.check.Target.CONTAINER) {
        details.put("containers", c.containerTypes().stream().map(t -> t.id()).sorted()
            .toList());
      }
      details.put("message", c.message());
      if (c.when() != null) {
        details.put("when", c.when());
      }
      details.put("expression", c.expression());
      if (!c.params().isEmpty()) {
        details.put("params", c.params());
      }
      details.put("remediable", c.remediable());
      if (c.remediable()) {
        details.put("riskyFix", c.riskyFix());
        details.put("patch", c.patch());
      }
      if (!c.references().isEmpty()) {
        details.put("references", c.references());
      }
      PrintWriter out = spec.commandLine().getOut();
      try {
        if (format == Format.table) {
          ObjectMapper json = mapper(Format.json);
          for (Map.Entry<String, Object> entry : details.entrySet()) {
            Object value = entry.getValue();
            String text = value instanceof String s ? s
                : json.writeValueAsString(value).replaceAll("\\s*\\n\\s*", " ");
            out.println(String.format("%-12s ", entry.getKey() + ":") + text);
          }
        } else {
          out.print(mapper(format).writeValueAsString(details));
          if (format == Format.json) {
            out.println();
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.flush();
    }
  }
}
