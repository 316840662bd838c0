package io.stochastic.devops.deploy;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.TestUtils.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RBAC files the repository ships are generated: each is exactly what {@code kube-devops
 * deploy generate-rbac --component C} prints, so the model ({@link RbacModel}) and the files
 * cannot drift, and the ITs that prove a file ({@code SyncRbacIT}, {@code AuditorRbacIT}) prove
 * the model. {@code ./mvnw test -Dtest=ShippedRbacTest -Dkube-devops.update-docs=true} rewrites
 * them.
 */
class ShippedRbacTest {
  private static final boolean UPDATE = Boolean.getBoolean("kube-devops.update-docs");

  static Stream<Arguments> files() {
    return Stream.of(Arguments.of("sync", SyncManifests.RBAC),
        Arguments.of("auditor", CronJobManifests.DIRECTORY.resolve("auditor-rbac.yaml")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("files")
  void theShippedFileIsWhatTheGeneratorPrints(String component, Path file) throws IOException {
    CliRun run = cli("deploy", "generate-rbac", "--component", component);
    assertThat(run.exitCode()).as(run.err()).isZero();
    if (UPDATE) {
      Files.writeString(file, run.out());
    }
    assertThat(Files.readString(file))
        .as(file + " is stale: run ./mvnw test -Dtest=ShippedRbacTest -Dkube-devops.update-docs=true")
        .isEqualTo(run.out());
  }

  /** The Helm chart's roles are built from this file (templates/rbac.yaml). */
  @Test
  void theChartsRulesFileIsWhatTheModelSays() throws IOException {
    Path file = Path.of(ChartRbacRules.PATH);
    String expected = ChartRbacRules.yaml(new RbacModel(TestUtils.catalog().definitions()).all());
    if (UPDATE) {
      Files.writeString(file, expected);
    }
    assertThat(Files.readString(file))
        .as(file + " is stale: run ./mvnw test -Dtest=ShippedRbacTest -Dkube-devops.update-docs=true")
        .isEqualTo(expected);
  }
}
