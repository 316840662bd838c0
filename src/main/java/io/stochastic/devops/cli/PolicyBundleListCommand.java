package io.stochastic.devops.cli;

import io.stochastic.devops.api.Annotations;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy bundle-list}: the built-in bundles. */
@Command(name = "bundle-list", description = {"List the built-in bundles a DevOpsPolicy "
    + "starts from (spec.bundle): name, the number of checks they enable, description."})
final class PolicyBundleListCommand implements Callable<Integer> {
  /** The annotation a bundle describes itself with. */

  private final Application application;
  @Spec
  CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      completionCandidates = ChecksCommand.ListChecks.FormatCandidates.class,
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  String output;

  PolicyBundleListCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    ChecksCommand.Format format = OutputFormat.parse(ChecksCommand.Format.class, output,
        "--output");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : application.bundles().names()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", name);
      row.put("checks", application.policyResolver().bundle(name).checks().size());
      row.put("description", description(application.bundles().get(name)));
      rows.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == ChecksCommand.Format.table) {
      String line = "%-14s %-7s %s%n";
      out.printf(line, "NAME", "CHECKS", "DESCRIPTION");
      rows.forEach(r -> out.printf(line, r.get("name"), r.get("checks"), r.get("description")));
    } else {
      out.print(ChecksCommand.mapper(format).writeValueAsString(rows));
      if (format == ChecksCommand.Format.json) {
        out.println();
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  static String description(DevOpsPolicy bundle) {
    Map<String, String> annotations = bundle.getMetadata().getAnnotations();
    return annotations == null ? "" : annotations.getOrDefault(Annotations.DESCRIPTION, "");
  }
}
