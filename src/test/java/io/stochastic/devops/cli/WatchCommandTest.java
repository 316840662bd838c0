package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils.CliRun;
import org.junit.jupiter.api.Test;

/** Bad input to {@code watch} is one line and exit 2, before any cluster is asked. */
class WatchCommandTest {
  private static void assertRefused(CliRun run, String message) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: " + message);
  }

  @Test
  void aResyncThatIsNotPositiveIsRefused() {
    assertRefused(cli("watch", "--resync", "0s"), "--resync must be positive, not 0s");
  }

  @Test
  void namespacesAndAllNamespacesAreRefusedTogether() {
    assertRefused(cli("watch", "-n", "shop", "-A"),
        "--namespace and --all-namespaces cannot be combined");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertRefused(cli("watch", "--metrics-port", "70000"),
        "--metrics-port must be 0-65535, not 70000");
  }

  @Test
  void aLogFormatThatDoesNotExistIsRefused() {
    CliRun run = cli("watch", "--log-format", "xml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("--log-format", "xml");
  }

  @Test
  void helpNamesTheFlagsAndThePortIs8080() {
    CliRun run = cli("watch", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().replaceAll("\\s+", " ")).contains("--resync", "--metrics-port",
        "--[no-]leader-election", "--lease-namespace", "--kubeconfig", "--context",
        "kube-devops-watch", "(default: 8080;");
  }

  @Test
  void theOperatorKeepsPort9090() {
    assertThat(cli("reconcile", "--help").out().replaceAll("\\s+", " "))
        .contains("(default: 9090;");
  }
}
