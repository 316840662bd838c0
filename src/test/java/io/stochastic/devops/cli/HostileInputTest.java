package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input to every command that reads files: each is one plain-words error line naming
 * the file (and the document), exit 2, in bounded time and memory: never a Java class name,
 * Jackson's or snakeyaml's internals, or a stack trace. The big inputs are generated here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileInputTest {
  private static final String MANIFEST = """
      apiVersion: v1
      kind: Pod
      metadata: {name: p, namespace: shop}
      spec: {containers: [{name: c, image: nginx:1.27}]}
      """;

  @TempDir
  static Path dir;
  private static Path manifest;

  /** A name, the file, and what its error line says after the file's name. */
  record Input(String name, Path file, String problem) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Input> INPUTS = new ArrayList<>();

  @BeforeAll
  static void generate() throws IOException {
    manifest = Files.writeString(dir.resolve("manifest.yaml"), MANIFEST);
    add("a scalar document", "scalar.yaml", "just words\n",
        "#0: not a Kubernetes object (the document is a string)");
    add("a number document", "number.yaml", "12345\n",
        "#0: not a Kubernetes object (the document is a number)");
    add("a list document", "list.json", "[1, 2]\n",
        "#0: not a Kubernetes object (the document is a list)");
    String digits = "9".repeat(5000);
    add("a huge number, JSON", "number.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {\"a\": " + digits + "}}\n",
        "#0: a number longer than 1000 digits");
    add("a huge number, YAML", "bignumber.yaml",
        "apiVersion: v1\nkind: ConfigMap\ndata: {a: " + digits + "}\n",
        "#0: a number longer than 1000 digits");
    add("a huge string, JSON", "string.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {\"a\": \""
            + "x".repeat(4 * 1024 * 1024) + "\"}}\n",
        "#0: a string longer than 3145728 characters");
    add("deep nesting, YAML", "deep.yaml", "a: " + "[".repeat(100_000) + "\n",
        "#0: nested deeper than 100 levels");
    add("deep nesting, JSON", "deep.json", "[".repeat(100_000) + "\n",
        "#0: nested deeper than 100 levels");
    add("malformed JSON", "malformed.json", "{\"apiVersion\": \"v1\",\n",
        "#0: malformed JSON at line 2");

    Path binary = dir.resolve("binary.yaml");
    byte[] bytes = new byte[4096];
    new java.util.Random(42).nextBytes(bytes);
    bytes[10] = 0;
    Files.write(binary, bytes);
    INPUTS.add(new Input("binary garbage", binary, "#0: not YAML text: binary data (a NUL byte)"));

    // 200 MB on one line: refused at the line limit, not read to the end, nor scanned for long.
    Path longLine = writeMebibytes(dir.resolve("long-line.yaml"), "a: ", 'x', 200);
    INPUTS.add(new Input("a 200 MB single line", longLine,
        "#0: a line longer than 3145728 characters"));

    Path zero = Path.of("/dev/zero");
    if (Files.exists(zero)) {
      INPUTS.add(new Input("/dev/zero", zero, "#0: not YAML text: binary data (a NUL byte)"));
    }
  }

  @AfterAll
  static void deleteBigFiles() throws IOException {
    Files.deleteIfExists(dir.resolve("long-line.yaml"));
  }

  private static void add(String name, String file, String text, String problem)
      throws IOException {
    INPUTS.add(new Input(name, Files.writeString(dir.resolve(file), text), problem));
  }

  static Stream<Arguments> inputsByCommand() {
    List<Arguments> cases = new ArrayList<>();
    for (Input input : INPUTS) {
      String file = input.file().toString();
      cases.add(Arguments.of(input, List.of("audit", file)));
      cases.add(Arguments.of(input, List.of("audit", manifest.toString(), "--policy", file)));
      cases.add(Arguments.of(input, List.of("policy", "lint", file)));
      cases.add(Arguments.of(input, List.of("policy", "diff", file)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("inputsByCommand")
  void isOnePlainLineNamingTheFileAndExitTwo(Input input, List<String> command) {
    CliResult result = CliResult.run(command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ERROR);
    // audit: "error: FILE#0: problem"; lint's table: "FILE#0[:LINE]: error: problem".
    int colon = input.problem().indexOf(": ");
    String where = input.file() + input.problem().substring(0, colon);
    String problem = input.problem().substring(colon + 2);
    assertThat((result.out() + result.err()).lines()
        .filter(l -> l.contains(where) && l.contains(problem)))
        .as(result.toString()).hasSize(1);
    assertPlain(result);
  }

  @Test
  void auditPrintsTheProblemAsItsOnlyLine() {
    for (Input input : INPUTS) {
      CliResult result = CliResult.run("audit", input.file().toString());
      assertThat(result.err()).as(input.name())
          .startsWith("error: " + input.file() + input.problem())
          .hasLineCount(1);
      assertThat(result.out()).as(input.name()).isEmpty();
    }
  }

  @Test
  void aFifoNoProcessWritesToIsGivenUpNotWaitedForForever() throws Exception {
    Path fifo = dir.resolve("fifo.yaml");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    for (List<String> command : List.of(List.of("audit", fifo.toString()),
        List.of("policy", "lint", fifo.toString()))) {
      CliResult result = CliResult.run(command.toArray(String[]::new));
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ERROR);
      assertThat(result.out() + result.err()).as(result.toString())
          .contains(fifo + ": ").contains("no process writes to it (a FIFO, waited 3 s)");
      assertPlain(result);
    }
  }

  @Test
  void aFifoAProcessWritesToIsRead() throws Exception {
    CliResult result = throughFifo(dir.resolve("written.yaml"), MANIFEST, "audit", "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("\"name\" : \"p\"");
  }

  private static final String POLICY_WITH_A_PROBLEM = """
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata: {name: shop, namespace: shop}
      spec:
        bundle: strict
      """;

  @Test
  void lintLocatesAProblemWithoutReadingTheHostileDocumentsAfterIt() throws IOException {
    Path file = writeMebibytes(dir.resolve("policy-then-bomb.yaml"),
        POLICY_WITH_A_PROBLEM + "---\na: ", '[', 20);
    CliResult result = CliResult.run("policy", "lint", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ERROR);
    assertThat(result.out()).contains(file + "#0:5: error: spec.bundle: unsupported value")
        .contains(file + "#1: error: nested deeper than 100 levels");
    assertPlain(result);
  }

  @Test
  void lintOfAFifoLocatesProblemsWithoutOpeningItAgain() throws Exception {
    Path fifo = dir.resolve("policy-fifo.yaml");
    CliResult result = throughFifo(fifo, POLICY_WITH_A_PROBLEM, "policy", "lint");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.POLICY_FAILED);
    assertThat(result.out()).contains(fifo + "#0:").contains("spec.bundle: unsupported value");
  }

  @Test
  void checksShowQuotesAHostileIdOnOneShortLine() {
    CliResult huge = CliResult.run("checks", "show", "x".repeat(100_000));
    assertThat(huge.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(huge.err()).hasLineCount(1)
        .startsWith("error: unknown check '" + "x".repeat(100) + "...' (100000 characters)");
    CliResult control = CliResult.run("checks", "show", "a\u001b[31mred\nline2");
    assertThat(control.err()).isEqualTo("error: unknown check 'a\\u001b[31mred\\nline2' "
        + "(see 'kube-devops checks list')\n");
  }

  private static void assertPlain(CliResult result) {
    assertThat(result.out() + result.err()).as(result.toString())
        .doesNotContain("Exception", "java.", "jackson", "snakeyaml", "StreamReadConstraints",
            "\tat ", "internal error");
  }

  /** {@code head}, then {@code mib} MiB of {@code c} on one line, then a newline. */
  private static Path writeMebibytes(Path file, String head, char c, int mib)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head.getBytes(StandardCharsets.UTF_8));
      byte[] chunk = String.valueOf(c).repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < mib; i++) {
        out.write(chunk);
      }
      out.write('\n');
    }
    return file;
  }

  /** Runs {@code command FIFO} while another thread writes {@code text} into the FIFO. */
  private static CliResult throughFifo(Path fifo, String text, String... command)
      throws InterruptedException {
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    Thread writer = new Thread(() -> {
      try {
        Files.writeString(fifo, text); // blocks until the reader opens the FIFO
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    List<String> args = new ArrayList<>(List.of(command));
    args.add(fifo.toString());
    CliResult result = CliResult.run(args.toArray(String[]::new));
    writer.join(10_000);
    return result;
  }

  private static boolean mkfifo(Path path) throws InterruptedException {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
