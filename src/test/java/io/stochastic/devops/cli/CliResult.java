package io.stochastic.devops.cli;

import io.stochastic.devops.TestUtils;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One in-process run of {@code kube-devops}: its exit code, stdout and stderr. */
record CliResult(int exitCode, String out, String err) {

  static CliResult run(String... args) {
    return runWithStdin("", args);
  }

  static CliResult runWithStdin(String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    Application application = new Application(TestUtils.CLOCK, in,
        new Terminal(false, Map.of()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(application, new PrintWriter(out), new PrintWriter(err), args);
    return new CliResult(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
