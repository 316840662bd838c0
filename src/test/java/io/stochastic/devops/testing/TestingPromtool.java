package io.stochastic.devops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code promtool} (Debian package {@code prometheus}): linting a metrics exposition the
 * way Prometheus's own tooling does (names, units, help texts, counters ending in {@code _total};
 * missing, that test is skipped, failed on CI, see {@link Executables}), and checking and
 * unit-testing rule files with Prometheus's own PromQL parser and rule engine (missing, those
 * tests fail: nothing else can tell whether an expression parses).
 */
public final class TestingPromtool {
  private static final String PROPERTY = "kube-devops.test.promtool";
  private static final String INSTALL =
      "install the Debian package prometheus (apt-get install -y prometheus)";

  private TestingPromtool() {}

  /** What one promtool run printed, and whether it succeeded. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** What {@code promtool check metrics} prints about {@code exposition}: empty when clean. */
  public static String checkMetrics(String exposition) throws IOException, InterruptedException {
    Path promtool = Executables.require(PROPERTY, INSTALL, List.of("promtool"));
    Result result = run(promtool, exposition, "check", "metrics");
    return result.ok() || !result.output().isEmpty() ? result.output()
        : "promtool exited with " + result.exitCode();
  }

  /** {@code promtool check rules FILE...}: parses every expression with Prometheus's parser. */
  public static Result checkRules(Path... files) throws IOException, InterruptedException {
    return runOnFiles(List.of("check", "rules"), files);
  }

  /** {@code promtool test rules FILE...}: the rules unit tests, against the rule files they name. */
  public static Result testRules(Path... files) throws IOException, InterruptedException {
    return runOnFiles(List.of("test", "rules"), files);
  }

  private static Result runOnFiles(List<String> command, Path... files)
      throws IOException, InterruptedException {
    Path promtool = Executables.requireAlways(PROPERTY, INSTALL, List.of("promtool"));
    List<String> args = new ArrayList<>(command);
    for (Path file : files) {
      args.add(file.toString());
    }
    return run(promtool, "", args.toArray(String[]::new));
  }

  private static Result run(Path promtool, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), output);
  }
}
