package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/kube-devops} runs the packaged jar on every JDK 17 or newer installed beside the one
 * running the tests (the JDK running them at least), and says nothing on stderr that the user
 * did not cause: newer JDKs warn about libraries' use of sun.misc.Unsafe unless told not to.
 */
class LauncherIT {
  private static final Pattern FEATURE_VERSION =
      Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

  @TestFactory
  Stream<DynamicTest> auditsTheExamplesSilentlyOnEveryInstalledJdk() throws IOException {
    Path running = Path.of(System.getProperty("java.home")).toRealPath();
    Map<Path, Integer> jdks = new TreeMap<>();
    try (Stream<Path> siblings = Files.list(running.getParent())) {
      siblings.forEach(home -> featureVersion(home).filter(v -> v >= 17)
          .ifPresent(v -> jdks.put(realPath(home), v)));
    }
    jdks.putIfAbsent(running, featureVersion(running).orElse(17));
    return jdks.entrySet().stream().map(jdk -> dynamicTest(
        "JDK " + jdk.getValue() + " at " + jdk.getKey(), () -> auditExamplesWith(jdk.getKey())));
  }

  /** The README's install: a symlink to the launcher in a directory on the PATH finds the jar. */
  @Test
  void runsThroughASymlinkFromAnotherDirectory(@TempDir Path dir) throws Exception {
    Path link = Files.createSymbolicLink(
        dir.resolve("kube-devops"), Path.of("bin/kube-devops").toAbsolutePath());
    ProcessBuilder launcher = new ProcessBuilder(link.toString(), "version").directory(dir.toFile());
    launcher.environment().remove("KUBE_DEVOPS_JAR");
    Launched run = launch(launcher);
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("kube-devops ");
    assertThat(run.exitCode()).isZero();
  }

  /**
   * {@code policy lint} without a path lints the policy repository it finds, from the project's
   * root or from inside it, and says so; where there is none, one line and exit 2.
   */
  @Test
  void policyLintWithoutAPathFindsThePolicyRepository(@TempDir Path empty) throws Exception {
    Path launcher = Path.of("bin/kube-devops").toAbsolutePath();
    Path root = Path.of("").toAbsolutePath();
    Files.createDirectory(empty.resolve(".git")); // a working tree of its own: not above it
    long policies;
    try (var files = Files.walk(root.resolve("policies"))) {
      policies = files.filter(f -> f.toString().endsWith(".yaml")).count();
    }

    for (Map.Entry<Path, String> run : Map.of(
        root, "linting the policy repository policies/",
        root.resolve("policies"), "linting the policy repository .",
        root.resolve("policies/namespaces/shop"), "linting the policy repository ../../").entrySet()) {
      Launched lint = launch(new ProcessBuilder(launcher.toString(), "policy", "lint")
          .directory(run.getKey().toFile()));
      // then, per custom check, whether policy export-vap exports it
      assertThat(lint.err()).as(run.getKey().toString()).startsWith(run.getValue() + "\n");
      assertThat(lint.err().lines().skip(1)).as(run.getKey().toString())
          .allMatch(l -> l.contains(": custom check ") && (l.contains("ValidatingAdmissionPolicy")
              || l.contains("stays with the webhook")));
      assertThat(lint.out()).as(run.getKey().toString())
          .isEqualTo(policies + " policies in " + policies + " files: no problems\n");
      assertThat(lint.exitCode()).isZero();
    }

    Launched lint = launch(new ProcessBuilder(launcher.toString(), "policy", "lint")
        .directory(empty.toFile()));
    assertThat(lint.out()).isEmpty();
    assertThat(lint.err()).isEqualTo("error: no policy repository here: neither this directory nor a "
        + "parent up to the Git working tree's root holds policies/, bundles/ or namespaces/; "
        + "name what to lint: kube-devops policy lint PATH\n");
    assertThat(lint.exitCode()).isEqualTo(ExitCode.ERROR);
  }

  private record Launched(String out, String err, int exitCode) {}

  /** Runs the launcher without the caller's JAVA_OPTS, to its end (a minute at most). */
  private static Launched launch(ProcessBuilder launcher) throws Exception {
    launcher.environment().remove("JAVA_OPTS");
    Process process = launcher.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Launched(out, err, process.exitValue());
  }

  /**
   * The examples, and a Helm chart: the shaded jar holds Helm's native library and its service
   * file, and JNA loading it draws no native-access warning from newer JDKs.
   */
  private static void auditExamplesWith(Path javaHome) throws Exception {
    audit(javaHome, "examples/");
    String out = audit(javaHome, "--helm-chart", "src/test/resources/helm/web", "-o", "json");
    assertThat(out).contains("\"source\" : \"src/test/resources/helm/web/templates/"
        + "deployment.yaml#0\"");
  }

  private static String audit(Path javaHome, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bin/kube-devops", "audit"));
    command.addAll(List.of(args));
    ProcessBuilder launcher = new ProcessBuilder(command);
    launcher.environment().put("JAVA_HOME", javaHome.toString());
    launcher.environment().remove("JAVA_OPTS");
    Process process = launcher.start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try {
        return process.getInputStream().readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // Only the warnings the examples are there to show: no JVM or library noise.
    assertThat(err.lines()).as(String.join(" ", command)).allSatisfy(line -> assertThat(line)
        .matches("warning: examples/.*: (extensions/v1beta1 Deployment|batch/v1beta1 CronJob) "
            + "is not served by Kubernetes .*"));
    assertThat(process.exitValue()).isZero();
    return new String(out.join(), StandardCharsets.UTF_8);
  }

  private static Optional<Integer> featureVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return Optional.empty();
    }
    try {
      Matcher m = FEATURE_VERSION.matcher(Files.readString(release));
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
