package io.stochastic.devops.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.input.ReadOutOfMemory;
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

  /**
   * The JVM ran out of heap or stack: one line saying so, with the file being read when it is
   * known, the heap's size and how to raise it (the launcher passes {@code JAVA_OPTS} to the
   * JVM); exit 2, no stack trace unless {@code --debug}.
   */
  static int fatal(Error e, CommandLine commandLine, boolean debug) {
    PrintWriter err = commandLine.getErr();
    err.println("error: " + describeFatal(e, Runtime.getRuntime().maxMemory()));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCode.ERROR;
  }

  static String describeFatal(Error e, long maxHeapBytes) {
    if (e instanceof StackOverflowError) {
      return "out of stack space: the input is nested too deeply to judge"
          + " (run with --debug for details)";
    }
    String what = "out of memory";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ReadOutOfMemory read) {
        what = "out of memory reading " + read.source();
        break;
      }
    }
    long mib = maxHeapBytes / (1024 * 1024);
    return what + ": the JVM heap is " + mib + " MiB; raise it with JAVA_OPTS=-Xmx"
        + suggestedHeap(mib) + " (bin/kube-devops passes JAVA_OPTS to the JVM), or audit the "
        + "input in smaller parts";
  }

  /** Twice the heap, in the unit -Xmx reads most easily. */
  static String suggestedHeap(long mib) {
    long twice = Math.max(64, mib * 2);
    return twice % 1024 == 0 ? twice / 1024 + "g" : twice + "m";
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
    // A bug: the message says what, --debug shows where; a Java class name helps no user.
    return "internal error" + (e.getMessage() == null || e.getMessage().isBlank() ? ""
        : ": " + firstLine(e.getMessage()));
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
