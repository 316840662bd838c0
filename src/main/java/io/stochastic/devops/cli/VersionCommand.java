package io.stochastic.devops.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kube-devops version}. */
@Command(name = "version", description = "Print the version, the commit and the Java runtime.")
final class VersionCommand implements Runnable {
  private final Application application;
  @Spec
  CommandSpec spec;

  VersionCommand(Application application) {
    this.application = application;
  }

  @Override
  public void run() {
    BuildInfo info = application.buildInfo();
    PrintWriter out = spec.commandLine().getOut();
    out.println("kube-devops " + info.version());
    out.println("commit:  " + info.commit() + ("unknown".equals(info.commitTime()) ? ""
        : " (" + info.commitTime() + ")"));
    out.println("java:    " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")");
    out.println("os:      " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    out.flush();
  }
}
