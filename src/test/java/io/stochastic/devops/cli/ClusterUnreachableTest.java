package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that talks to a cluster, pointed at a port nothing listens on: one line naming
 * the server, exit code 2, no stack trace.
 */
class ClusterUnreachableTest {
  @TempDir
  static Path dir;

  static List<List<String>> commands() {
    return List.of(
        List.of("crd", "install"),
        List.of("policy", "export", "-A"),
        List.of("policy", "import", "src/test/resources/policy-lint/valid/minimal.yaml"),
        List.of("policy", "diff", "src/test/resources/policy-lint/valid/minimal.yaml"),
        List.of("policy", "bundle-apply", "baseline", "-n", "shop"),
        // checked before JOSDK starts, so no signal handler or server is left behind
        List.of("reconcile", "--metrics-port", "0"),
        // the policies are listed before the informers start, as for reconcile
        List.of("watch", "--metrics-port", "0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void anUnreachableClusterIsOneLineAndExitTwo(List<String> command) throws IOException {
    int port = closedPort();
    Path kubeconfig = Files.writeString(dir.resolve("unreachable-" + port), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: gone
            cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        users:
          - name: gone
            user: {token: not-a-token}
        contexts:
          - name: gone
            context: {cluster: gone, user: gone, namespace: shop}
        current-context: gone
        """.formatted(port));
    List<String> args = new java.util.ArrayList<>(command);
    args.addAll(List.of("--kubeconfig", kubeconfig.toString()));

    CliResult result = CliResult.run(args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).isEqualTo("error: cannot reach the cluster at https://127.0.0.1:"
        + port + "/ (context gone): connection refused\n");
    assertThat(result.out()).isEmpty();
  }

  /** A port that was free a moment ago: connecting to it is refused. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
