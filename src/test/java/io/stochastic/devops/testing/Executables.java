package io.stochastic.devops.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Finding the external programs the test servers run, and loopback ports for them. */
final class Executables {
  /**
   * System property: whether a missing program fails the test instead of skipping it. Defaults
   * to the environment variable {@code CI}, so that CI, where .ci/run installs every program,
   * cannot go green by skipping.
   */
  static final String REQUIRE_PROPERTY = "kube-devops.test.require-programs";

  private Executables() {}

  /**
   * The executable named by system property {@code property}, else the first of {@code names} on
   * PATH, then in /usr/local/sbin and /usr/sbin. When there is none the calling test is aborted
   * (reported as skipped) with a message that says what is missing and how to install it: a test
   * that cannot run says so. On CI (see {@link #REQUIRE_PROPERTY}) it fails instead.
   */
  static Path require(String property, String install, List<String> names) {
    return find(property, install, names, Executables::missing);
  }

  /**
   * As {@link #require}, but a missing program always fails the test: for a program .ci/run
   * installs and without which the code under test cannot be checked at all.
   */
  static Path requireAlways(String property, String install, List<String> names) {
    return find(property, install, names, why -> {
      throw new IllegalStateException(why);
    });
  }

  private static Path find(String property, String install, List<String> names,
      java.util.function.Function<String, Path> missing) {
    String configured = System.getProperty(property);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      return Files.isExecutable(path)
          ? path
          : missing.apply("-D" + property + "=" + configured + " is not an executable file");
    }
    // then the sbin directories, which a normal user's PATH often lacks (sshd is there)
    String searchPath = System.getenv().getOrDefault("PATH", "") + File.pathSeparator
        + "/usr/local/sbin" + File.pathSeparator + "/usr/sbin";
    for (String dir : searchPath.split(File.pathSeparator)) {
      for (String name : names) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return missing.apply(
        String.join(" or ", names) + " not found on PATH: " + install + " (or set -D" + property
            + "=/path/to/" + names.get(0) + ")");
  }

  private static Path missing(String why) {
    String required = System.getProperty(REQUIRE_PROPERTY, System.getenv().getOrDefault("CI", "false"));
    if (Boolean.parseBoolean(required)) {
      throw new IllegalStateException(why + " (a missing program fails, not skips, with -D" + REQUIRE_PROPERTY
          + "=true or CI=true)");
    }
    return Assumptions.abort(why);
  }

  /** A port free on 127.0.0.1 at the time of the call. */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
