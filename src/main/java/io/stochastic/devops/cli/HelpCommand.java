package io.stochastic.devops.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kube-devops help [COMMAND...]}: a command's help, as {@code COMMAND --help} shows it.
 * Picocli's own HelpCommand declares {@code -h}, which the root's inherited {@code -h} already
 * gives every command, so this is the same thing without the clash.
 */
@Command(name = "help", description = "Show the help of a command, e.g. 'kube-devops help "
    + "audit' (the same as 'kube-devops audit --help').")
final class HelpCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*",
      description = "The command, with its subcommand if it has one (e.g. checks list).")
  List<String> command = new ArrayList<>();

  @Override
  public void run() {
    CommandLine target = spec.commandLine().getParent();
    for (String name : command) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        String parent = target.getCommandSpec().qualifiedName();
        throw new UserException("unknown command '" + name + "' for '" + parent + "'"
            + Suggestions.didYouMean(name, target.getSubcommands().keySet())
            + " (see '" + parent + " --help')");
      }
      target = sub;
    }
    target.usage(spec.commandLine().getOut());
    spec.commandLine().getOut().flush();
  }
}
