package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  void noCommandIsAUsageError() {
    CliRun run = cli();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a command is required");
  }
}
