package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kube-devops fix}, one case per directory of {@code src/test/resources/fix}: its
 * {@code input.yaml} fixed with {@code --write} (and the case's {@code args.txt}, run in the
 * case's copy so that {@code --policy policy.yaml} finds its file) gives {@code expected.yaml}
 * byte for byte, its stderr holds each line of {@code stderr-contains.txt} (the fixes listed as
 * skipped), and a second run finds nothing left to fix. {@code -Dkube-devops.update-fix=true}
 * rewrites the expected files, to be reviewed as a diff.
 */
class FixCommandTest {
  private static final Path CASES = Path.of("src/test/resources/fix");
  /** Gives every value the patches name and allows every risky fix: all fixes are made. */
  private static final Path POLICY = CASES.resolve("multi-document/policy.yaml");

  @TempDir
  Path temp;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CASES)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted()
          .toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixesTheCaseAndASecondRunChangesNothing(String name) throws IOException {
    Path source = CASES.resolve(name);
    Path work = temp.resolve(name);
    Files.createDirectories(work);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, work.resolve(file.getFileName()));
      }
    }
    Path input = work.resolve("input.yaml");
    List<String> args = new ArrayList<>(List.of("fix", input.toString(), "--write"));
    args.addAll(extraArgs(work));
    CliResult first = CliResult.run(args.toArray(String[]::new));
    String fixed = Files.readString(input, StandardCharsets.UTF_8);
    Path expected = source.resolve("expected.yaml");
    if (Boolean.getBoolean("kube-devops.update-fix")) {
      Files.writeString(expected, fixed, StandardCharsets.UTF_8);
    }
    assertThat(fixed).as(first.toString()).isEqualTo(Files.readString(expected));

    Path listed = source.resolve("stderr-contains.txt");
    if (Files.exists(listed)) {
      for (String line : Files.readAllLines(listed)) {
        assertThat(first.err()).as(first.toString()).contains(line);
      }
    }
    boolean unparsable = name.startsWith("unparsable");
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(unparsable ? 2 : 0);
    if (unparsable) {
      assertThat(first.err()).startsWith("error: " + input + ": ");
      assertThat(first.err().lines()).hasSize(1);
      return;
    }
    List<String> again = new ArrayList<>(List.of("fix", input.toString()));
    again.addAll(extraArgs(work));
    CliResult second = CliResult.run(again.toArray(String[]::new));
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).isEmpty();
  }

  private static List<String> extraArgs(Path work) throws IOException {
    Path file = work.resolve("args.txt");
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    for (String arg : Files.readString(file).trim().split("\\s+")) {
      args.add(arg.endsWith(".yaml") ? work.resolve(arg).toString() : arg);
    }
    return args;
  }

  @Test
  void printsADiffAndExitsOneWithoutWriting(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("pod.yaml");
    Files.copy(CASES.resolve("multi-document/input.yaml"), input);
    String before = Files.readString(input);
    CliResult result = CliResult.run("fix", input.toString(), "--policy", POLICY.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).startsWith("--- a/" + input).contains("+++ b/" + input);
    assertThat(Files.readString(input)).isEqualTo(before);
  }

  @Test
  void anUnparsableFileIsReportedAndTheOthersAreStillFixed(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("a-broken.yaml");
    Path good = dir.resolve("b-good.yaml");
    Files.copy(CASES.resolve("unparsable/input.yaml"), broken);
    Files.copy(CASES.resolve("crlf/input.yaml"), good);
    Path latin1 = dir.resolve("c-latin1.yaml");
    Files.write(latin1, "metadata: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));
    CliResult result = CliResult.run("fix", dir.toString(), "--write", "--policy",
        POLICY.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("error: " + broken + ": ")
        .contains("error: " + latin1 + ": not UTF-8 text");
    assertThat(Files.readString(good)).isEqualTo(Files.readString(CASES.resolve("crlf/expected.yaml")));
  }

  @Test
  void theExamplesAreFixedIdempotently(@TempDir Path dir) throws IOException {
    Path examples = dir.resolve("examples");
    try (Stream<Path> files = Files.walk(Path.of("examples"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = examples.resolve(Path.of("examples").relativize(file));
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    CliResult first = CliResult.run("fix", examples.toString(), "--write", "--policy",
        POLICY.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    CliResult second = CliResult.run("fix", examples.toString(), "--policy", POLICY.toString());
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).isEmpty();
  }

  @Test
  void anUnknownCheckIsAUsageError() {
    CliResult result = CliResult.run("fix", "examples", "--check", "noSuchCheck");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--check: unknown check");
  }

}
