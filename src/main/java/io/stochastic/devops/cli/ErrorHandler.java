package io.stochastic.devops.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.kube.KubeAccessException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

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
    err.println("error: " + e.getMessage());
    err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCode.ERROR;
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
