package io.stochastic.devops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code promtool} (Debian package {@code prometheus}), linting a metrics exposition the
 * way Prometheus's own tooling does: names, units, help texts, counters ending in
 * {@code _total}. Missing, it skips the test (fails it on CI, see {@link Executables}).
 */
public final class TestingPromtool {
  private TestingPromtool() {}

  /** What {@code promtool check metrics} prints about {@code exposition}: empty when clean. */
  public static String checkMetrics(String exposition) throws IOException, InterruptedException {
    Path promtool = Executables.require("kube-devops.test.promtool",
        "install the Debian package prometheus (apt-get install -y prometheus)",
        List.of("promtool"));
    Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectErrorStream(true)
        .start();
    process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("promtool check metrics did not finish in 30 s");
    }
    return process.exitValue() == 0 || !output.isEmpty() ? output
        : "promtool exited with " + process.exitValue();
  }
}
