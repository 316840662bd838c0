package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.engine.input.ReadLimits;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input within the read limits but too big for the heap: one line saying so, naming the file,
 * the heap's size and the option that raises it; exit 2, no stack trace. In a forked JVM with a
 * small heap, as a user with a big file meets it.
 */
class OutOfMemoryTest {
  @TempDir
  Path dir;

  @Test
  void aFileTooBigForTheHeapIsOneLineWithTheHeapToGive() throws Exception {
    // 1.2 M small objects in one JSON document under the 16 Mi character limit: a few hundred
    // MB as maps, far more than a 32 MiB heap.
    Path file = dir.resolve("big.json");
    int items = 1_200_000;
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"big\"},"
          + " \"data\": {\"l\": [");
      for (int i = 0; i < items; i++) {
        out.write(i == 0 ? "{\"a\":1}" : ",{\"a\":1}");
      }
      out.write("]}}\n");
    }
    assertThat(Files.size(file)).isLessThan(ReadLimits.DEFAULT.maxDocumentChars());

    Process process = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "audit", file.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    process.getOutputStream().close();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(err).isEqualTo(ExitCode.ERROR);
    assertThat(err.lines().filter(l -> !l.startsWith("WARNING: "))).as(err).hasSize(1)
        .first().asString()
        .startsWith("error: out of memory reading " + file + ": the JVM heap is ")
        .matches(".*heap is \\d+ MiB; raise it with JAVA_OPTS=-Xmx\\d+[mg] .*");
    assertThat(err).doesNotContain("\tat ", "OutOfMemoryError", "Exception");
  }

  @Test
  void theHeapToGiveIsTwiceTheHeapInTheEasiestUnit() {
    assertThat(ErrorHandler.suggestedHeap(30)).isEqualTo("64m");
    assertThat(ErrorHandler.suggestedHeap(1024)).isEqualTo("2g");
    assertThat(ErrorHandler.suggestedHeap(3000)).isEqualTo("6000m");
    assertThat(ErrorHandler.describeFatal(new OutOfMemoryError("Java heap space"),
        512L * 1024 * 1024)).isEqualTo("out of memory: the JVM heap is 512 MiB; raise it with "
        + "JAVA_OPTS=-Xmx1g (bin/kube-devops passes JAVA_OPTS to the JVM), or audit the input "
        + "in smaller parts");
  }

  @Test
  void aStackOverflowIsOneLineToo() {
    // What the in-process entry point does with an Error a command raises.
    var err = new java.io.StringWriter();
    var commandLine = new picocli.CommandLine(picocli.CommandLine.Model.CommandSpec.create());
    commandLine.setErr(new java.io.PrintWriter(err));
    int code = ErrorHandler.fatal(new StackOverflowError(), commandLine, false);
    assertThat(code).isEqualTo(ExitCode.ERROR);
    assertThat(err.toString()).isEqualTo("error: out of stack space: the input is nested too "
        + "deeply to judge (run with --debug for details)" + System.lineSeparator());
  }
}
