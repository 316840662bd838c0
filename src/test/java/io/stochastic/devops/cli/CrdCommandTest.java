package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crd generate}: the repository's crds/ files, byte for byte. */
class CrdCommandTest {
  private static final Path CRDS = Path.of("crds");

  @Test
  void generatePrintsTheCrdFilesByteForByteSeparatedByDocumentMarkers() throws IOException {
    StringBuilder expected = new StringBuilder();
    for (Path file : crdFiles()) {
      if (!expected.isEmpty()) {
        expected.append("---\n");
      }
      expected.append(Files.readString(file));
    }

    CliResult result = CliResult.run("crd", "generate");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(expected.toString());
    assertThat(result.out()).contains("name: devopspolicies.devops.stochastic.io",
        "name: policyauditresults.devops.stochastic.io");
  }

  @Test
  void generateIntoADirectoryWritesIdenticalFiles(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("deploy/crds");

    CliResult result = CliResult.run("crd", "generate", "--dir", target.toString());

    assertThat(result.exitCode()).isZero();
    for (Path file : crdFiles()) {
      Path written = target.resolve(file.getFileName());
      assertThat(result.out()).contains("wrote " + written);
      assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(file));
    }
  }

  @Test
  void installWithoutATimeoutIsAUsageError() {
    CliResult result = CliResult.run("crd", "install", "--timeout", "0");

    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).isEqualTo("error: --timeout must be positive, not 0\n");
  }

  private static List<Path> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(CRDS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
