package io.stochastic.devops.cli;

import io.stochastic.devops.runtime.ComponentLogging;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code kube-devops} executable. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--debug")) {
      ComponentLogging.debug();
    }
    System.exit(run(Application.forProcess(), new PrintWriter(System.out, true),
        new PrintWriter(System.err, true), args));
  }

  /** Runs one command line against {@code application}; returns the exit code. */
  public static int run(Application application, PrintWriter out, PrintWriter err,
      String... args) {
    CommandLine commandLine = commandLine(application, out, err);
    try {
      return commandLine.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // picocli hands on Errors: one line still, and the heap to give when it ran out.
      return ErrorHandler.fatal(e, commandLine, java.util.Arrays.asList(args).contains("--debug"));
    }
  }

  public static CommandLine commandLine(Application application, PrintWriter out,
      PrintWriter err) {
    KubeDevopsCommand root = new KubeDevopsCommand();
    CommandLine commandLine = new CommandLine(root, new CommandFactory(application));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(new ErrorHandler(root));
    commandLine.setParameterExceptionHandler(ErrorHandler::usageError);
    commandLine.setExitCodeExceptionMapper(t -> ExitCode.ERROR);
    return commandLine;
  }
}
