package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy bundle-show NAME}: one built-in bundle. */
@Command(name = "bundle-show", description = {"Print a built-in bundle: its DevOpsPolicy YAML "
    + "as shipped (a starting point for a namespace's policy), or with --checks the checks it "
    + "enables and their severities."},
    footer = {"", "Examples:",
        "  kube-devops policy bundle-show restricted",
        "  kube-devops policy bundle-show baseline --checks"})
final class PolicyBundleShowCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "baseline, restricted, permissive, pss-baseline or pss-restricted.")
  String name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
      description = "yaml (the file as shipped, comments included) or json (default: "
          + "${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--checks", description = "List the checks the bundle enables, with their "
      + "severities and parameters, instead.")
  boolean checks;

  enum Format { yaml, json }

  PolicyBundleShowCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    Format format = OutputFormat.parse(Format.class, output, "--output");
    String yaml;
    try {
      yaml = application.bundles().yaml(name);
    } catch (EngineException e) {
      throw new UserException(e.getMessage() + " (see 'kube-devops policy bundle-list')", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (checks) {
      EffectivePolicy policy = application.policyResolver().bundle(name);
      String line = "%-28s %-9s %s%n";
      out.printf(line, "CHECK", "SEVERITY", "PARAMETERS");
      for (ActiveCheck check : policy.checks()) {
        out.printf(line, check.id(), check.severity().id(),
            check.params().isEmpty() ? "" : check.params());
      }
    } else if (format == Format.json) {
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(tree));
    } else {
      out.print(yaml);
    }
    out.flush();
    return ExitCode.OK;
  }
}
