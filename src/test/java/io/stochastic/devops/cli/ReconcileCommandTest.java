package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils.CliRun;
import org.junit.jupiter.api.Test;

/** Bad input to {@code reconcile} is one line and exit 2, before any cluster is asked. */
class ReconcileCommandTest {
  private static void assertRefused(CliRun run, String message) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: " + message);
  }

  @Test
  void aResyncThatIsNotPositiveIsRefused() {
    assertRefused(cli("reconcile", "--resync", "0s"), "--resync must be positive, not 0s");
  }

  @Test
  void namespacesAndAllNamespacesAreRefusedTogether() {
    assertRefused(cli("reconcile", "-n", "shop", "-A"),
        "--namespace and --all-namespaces cannot be combined");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertRefused(cli("reconcile", "--metrics-port", "70000"),
        "--metrics-port must be 0-65535, not 70000");
  }

  @Test
  void helpNamesTheFlags() {
    CliRun run = cli("reconcile", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--resync", "--metrics-port", "--[no-]leader-election",
        "--lease-namespace", "--kubeconfig", "--context", "kube-devops-operator");
  }
}
