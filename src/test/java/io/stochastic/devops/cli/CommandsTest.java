package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.TestUtils.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** version, check, completion, checks list|show. */
class CommandsTest {
  @TempDir
  Path dir;

  @Test
  void versionNamesVersionCommitAndRuntime() {
    CliRun run = cli("version");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("kube-devops ").contains("commit:").contains("java:")
        .contains(System.getProperty("java.runtime.version"));
  }

  @Test
  void checksListJsonIsTheContractArray() throws IOException {
    CliRun run = cli("checks", "list", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode list = new ObjectMapper().readTree(run.out());
    assertThat(list).hasSize(TestUtils.catalog().definitions().size());
    for (JsonNode check : list) {
      assertThat(Set.copyOf(iterable(check))).isEqualTo(
          Set.of("id", "category", "target", "severity", "description", "remediable"));
    }
    assertThat(list).anySatisfy(c -> {
      assertThat(c.get("id").asText()).isEqualTo("livenessProbeMissing");
      assertThat(c.get("severity").asText()).isEqualTo("medium");
      assertThat(c.get("remediable").asBoolean()).isTrue();
    });
  }

  private static java.util.List<String> iterable(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void checksListTableAndCategoryFilter() {
    CliRun run = cli("checks", "list", "--category", "runtime");
    assertThat(run.out()).contains("restartCountTooHigh").contains("pendingTooLong")
        .doesNotContain("tagNotSpecified").contains("BUNDLES");
    int total = TestUtils.catalog().definitions().size();
    long runtime = TestUtils.catalog().definitions().stream()
        .filter(d -> d.category() == Category.RUNTIME).count();
    assertThat(run.out()).endsWith(System.lineSeparator() + runtime + " checks of the " + total
        + " in the catalog" + System.lineSeparator());
    assertThat(cli("checks", "list").out()).endsWith(System.lineSeparator() + total
        + " checks" + System.lineSeparator());
  }

  @Test
  void checksShowExplainsOneCheck() {
    CliRun run = cli("checks", "show", "restartCountTooHigh");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("category:    runtime").contains("howToFix:")
        .contains("expression:").contains("maxRestartCount");
    CliRun unknown = cli("checks", "show", "noSuchCheck");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("error: unknown check 'noSuchCheck' (see 'kube-devops "
        + "checks list')" + System.lineSeparator());
  }

  @Test
  void environmentCheckNeverFailsForWantOfACluster() throws IOException {
    CliRun missing = cli("check", "--kubeconfig", dir.resolve("none").toString());
    assertThat(missing.exitCode()).isEqualTo(0);
    assertThat(missing.out()).contains("java:").contains("(not found)")
        .contains("cluster:         not probed");

    Path kubeconfig = Files.writeString(dir.resolve("config"), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: gone
            cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
        users:
          - name: u
            user: {token: t}
        contexts:
          - name: gone
            context: {cluster: gone, user: u}
        current-context: gone
        """);
    CliRun unreachable = cli("check", "--kubeconfig", kubeconfig.toString(), "--timeout", "2");
    assertThat(unreachable.exitCode()).isEqualTo(0);
    assertThat(unreachable.out()).contains("contexts:        gone")
        .contains("cluster:         unreachable");
  }

  @Test
  void bashCompletionIsAValidScriptThatCompletesCommands() throws Exception {
    CliRun run = cli("completion", "bash");
    assertThat(run.exitCode()).isEqualTo(0);
    Path script = Files.writeString(dir.resolve("kube-devops.bash"), run.out());
    String probe = "source " + script + "\n"
        + "COMP_WORDS=(kube-devops au); COMP_CWORD=1; COMP_LINE='kube-devops au'; "
        + "COMP_POINT=${#COMP_LINE}\n"
        + "_complete_kube-devops kube-devops au kube-devops\n"
        + "echo \"${COMPREPLY[@]}\"\n";
    Process bash = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(bash.getInputStream().readAllBytes()).strip();
    assertThat(output).isEqualTo("audit auditor");
    assertThat(cli("completion", "zsh").out()).startsWith("autoload -U +X compinit");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args : new String[][] {{"--help"}, {"audit", "--help"}, {"checks", "list",
        "--help"}, {"checks", "show", "--help"}, {"check", "--help"}, {"version", "--help"}, {"analyze", "--help"},
        {"list", "--help"}, {"multi-cluster", "analyze", "--help"}, {"auditor", "run", "--help"},
        {"completion", "--help"}}) {
      CliRun run = cli(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(0);
      assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: kube-devops");
    }
  }

  @Test
  void invalidOptionValuesAreUsageErrorsListingTheAllowedValues() throws IOException {
    Path pod = Files.writeString(dir.resolve("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "
            + "nginx:1.25}]}\n");
    CliRun color = cli("audit", pod.toString(), "--color", "sometimes");
    assertThat(color.exitCode()).isEqualTo(2);
    assertThat(color.out()).as("refused before any report is written").isEmpty();
    assertThat(color.err()).isEqualTo("error: invalid value 'sometimes' for --color (expected "
        + "auto, always, never)" + System.lineSeparator());
    assertThat(cli("policy", "lint", dir.toString(), "--color", "allways").err())
        .contains("invalid value 'allways' for --color").contains("did you mean 'always'?");

    CliRun category = cli("checks", "list", "--category", "securty");
    assertThat(category.exitCode()).isEqualTo(2);
    assertThat(category.out()).isEmpty();
    assertThat(category.err()).isEqualTo("error: invalid value 'securty' for --category "
        + "(expected security, reliability, efficiency, runtime; did you mean 'security'?)"
        + System.lineSeparator());
    assertThat(cli("checks", "list", "--category", "SECURITY").exitCode()).isEqualTo(0);

    assertThat(cli("audit", pod.toString(), "-o", "jsn").err())
        .contains("(expected table, json, yaml").contains("did you mean 'json'?");
  }

  @Test
  void mistypedCommandsOptionsAndCheckIdsGetADidYouMean() {
    CliRun command = cli("audti", "x");
    assertThat(command.exitCode()).isEqualTo(2);
    assertThat(command.err()).startsWith("error: unknown command 'audti' for 'kube-devops'; "
        + "did you mean 'audit'?");

    CliRun subcommand = cli("checks", "lst");
    assertThat(subcommand.exitCode()).isEqualTo(2);
    assertThat(subcommand.err()).contains("unknown command 'lst' for 'kube-devops checks'; "
        + "did you mean 'list'?");

    CliRun option = cli("audit", "examples/", "--fial-below", "80");
    assertThat(option.exitCode()).isEqualTo(2);
    assertThat(option.err()).startsWith("error: unknown option '--fial-below'; did you mean "
        + "'--fail-below'?").contains("Run 'kube-devops audit --help' for usage.");

    CliRun check = cli("checks", "show", "livenesProbeMissing");
    assertThat(check.exitCode()).isEqualTo(2);
    assertThat(check.err()).isEqualTo("error: unknown check 'livenesProbeMissing'; did you mean "
        + "'livenessProbeMissing'? (see 'kube-devops checks list')" + System.lineSeparator());
  }

  @Test
  void suggestionsAreTheClosestNames() {
    assertThat(Suggestions.near("securty", Set.of("security", "runtime"))).containsExactly(
        "security");
    assertThat(Suggestions.near("chek", java.util.List.of("checks", "check", "crd")))
        .containsExactly("check", "checks");
    assertThat(Suggestions.near("xyzzy", Set.of("audit", "analyze"))).isEmpty();
    assertThat(Suggestions.near("-x", Set.of("-h", "-n", "-o"))).as("too short to guess")
        .isEmpty();
    assertThat(Suggestions.distance("audti", "audit")).isEqualTo(1);
  }

  @Test
  void versionOptionAndHelpCommand() {
    CliRun version = cli("--version");
    assertThat(version.exitCode()).isEqualTo(0);
    assertThat(version.out()).startsWith("kube-devops ").contains("commit:");

    CliRun help = cli("help", "audit");
    assertThat(help.exitCode()).isEqualTo(0);
    assertThat(help.out()).isEqualTo(cli("audit", "--help").out())
        .startsWith("Usage: kube-devops audit");
    assertThat(cli("help", "checks", "list").out()).startsWith("Usage: kube-devops checks list");
    assertThat(cli("help").out()).startsWith("Usage: kube-devops [");

    CliRun unknown = cli("help", "audti");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown command 'audti' for 'kube-devops'; did you mean "
        + "'audit'?");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = cli();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a command is required");
  }
}
