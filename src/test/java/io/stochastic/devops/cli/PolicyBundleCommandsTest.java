package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code policy bundle-list} and {@code policy bundle-show}: the bundles the jar carries. */
class PolicyBundleCommandsTest {
  @Test
  void bundleListNamesEveryBundleWithItsChecksAndDescription() {
    CliResult result = CliResult.run("policy", "bundle-list");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines().toList()).hasSize(6);
    assertThat(result.out()).startsWith("NAME           CHECKS  DESCRIPTION\n")
        .containsPattern("baseline +\\d+ +The recommended default for production namespaces.")
        .containsPattern("permissive +\\d+ +Only checks of critical or high default severity.")
        .containsPattern("restricted +\\d+ +Every check in the catalog at its default severity.")
        .containsPattern("pss-baseline +13 +The Pod Security Standards baseline level")
        .containsPattern("pss-restricted +19 +The Pod Security Standards restricted level");
  }

  @Test
  void bundleListAsJson() throws IOException {
    JsonNode rows = new ObjectMapper().readTree(
        CliResult.run("policy", "bundle-list", "-o", "json").out());

    assertThat(rows).hasSize(5);
    assertThat(rows.get(0).path("name").asText()).isEqualTo("baseline");
    assertThat(rows.get(4).path("name").asText()).isEqualTo("restricted");
    assertThat(rows.get(4).path("checks").asInt())
        .as("restricted enables every check of the catalog")
        .isEqualTo(CliResult.run("checks", "list", "-o", "json").out().split("\"id\"").length - 1);
  }

  @Test
  void bundleShowPrintsTheBundleFileAsShipped() throws IOException {
    CliResult result = CliResult.run("policy", "bundle-show", "baseline");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(Files.readString(Path.of("policies/bundles/baseline.yaml")));
  }

  @Test
  void bundleShowListsTheChecksABundleEnables() {
    CliResult result = CliResult.run("policy", "bundle-show", "permissive", "--checks");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("CHECK ").doesNotContain("livenessProbeMissing");
    assertThat(CliResult.run("policy", "bundle-show", "baseline", "--checks").out())
        .containsPattern("restartCountTooHigh +\\w+ +\\{maxRestartCount=5}");
  }

  @Test
  void anUnknownBundleIsAUsageError() {
    CliResult result = CliResult.run("policy", "bundle-show", "strict");

    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).isEqualTo("error: unknown bundle 'strict' (expected one of "
        + "baseline, permissive, pss-baseline, pss-restricted, restricted) (see 'kube-devops policy bundle-list')\n");
  }

  @Test
  void policyNeedsASubcommand() {
    CliResult result = CliResult.run("policy");

    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).startsWith("error: a subcommand is required: lint, bundle-list, "
        + "bundle-show, bundle-apply, export, export-vap, import, diff\n");
  }
}
