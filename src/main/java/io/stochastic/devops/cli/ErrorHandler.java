package io.stochastic.devops.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.kube.KubeAccessException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every error into one line on stderr and exit code 2 (DESIGN.md §3): no stack trace
 * unless {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  private final KubeDevopsCommand root;

  ErrorHandler(KubeDevopsCommand root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine,
      ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    err.println("error: " + describe(e));
    if (root.debug()) {
      e.printStackTrace(err);
    } else if (!(e instanceof UserException || e instanceof EngineException
        || e instanceof KubeAccessException)) {
      err.println("(run with --debug for details)");
    }
    err.flush();
    return ExitCode.ERROR;
  }

  static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    if (e instanceof UnmatchedArgumentException unmatched) {
      err.println("error: " + unmatched(unmatched));
    } else {
      err.println("error: " + e.getMessage());
    }
    err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCode.ERROR;
  }

  /**
   * An unknown command or option, with the names closest to it: picocli's own suggestions only
   * match a prefix ({@code --fial-below} finds nothing), so the edit distance decides here.
   */
  private static String unmatched(UnmatchedArgumentException e) {
    CommandLine commandLine = e.getCommandLine();
    List<String> args = e.getUnmatched();
    if (args.isEmpty()) {
      return e.getMessage();
    }
    String arg = args.get(0);
    CommandSpec spec = commandLine.getCommandSpec();
    if (arg.startsWith("-")) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      List<String> names = new ArrayList<>();
      for (OptionSpec option : spec.options()) {
        if (!option.hidden()) {
          names.addAll(List.of(option.names()));
        }
      }
      String hint = Suggestions.didYouMean(name, names);
      return e.isUnknownOption() && !hint.isEmpty()
          ? "unknown option '" + name + "'" + hint : e.getMessage() + suggestions(e);
    }
    if (!commandLine.getSubcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      return "unknown command '" + arg + "' for '" + spec.qualifiedName() + "'"
          + Suggestions.didYouMean(arg, commandLine.getSubcommands().keySet());
    }
    return e.getMessage() + suggestions(e);
  }

  private static String suggestions(UnmatchedArgumentException e) {
    List<String> suggestions = e.getSuggestions();
    return suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ",
        suggestions.stream().map(s -> "'" + s + "'").toList()) + "?";
  }

  private static String describe(Throwable e) {
    if (e instanceof UserException || e instanceof EngineException
        || e instanceof KubeAccessException) {
      return e.getMessage();
    }
    if (e instanceof KubernetesClientException k) {
      return "cluster request failed: " + firstLine(k.getMessage());
    }
    return "internal error: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
