package io.stochastic.devops.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy ...}: DevOpsPolicy files in Git and policies in clusters. */
@Command(name = "policy",
    description = {"Lint DevOpsPolicy files, show and apply the built-in bundles, and export, "
        + "import and diff the policies of a cluster.", ""},
    subcommands = {
        PolicyLintCommand.class,
        PolicyBundleListCommand.class,
        PolicyBundleShowCommand.class,
        PolicyBundleApplyCommand.class,
        PolicyExportCommand.class,
        PolicyExportVapCommand.class,
        PolicyImportCommand.class,
        PolicyDiffCommand.class,
    })
final class PolicyCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: "
        + String.join(", ", spec.subcommands().keySet()));
  }
}
