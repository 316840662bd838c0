package io.stochastic.devops.cli;

import static io.stochastic.devops.cli.CliResult.run;
import static io.stochastic.devops.testing.TestingObjects.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingGitServer;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingSshGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --once} from an ssh:// repository served by the real OpenSSH sshd, with --ssh-key
 * and --known-hosts, against the real API server: applies with the right key and host key;
 * refuses, in one plain line and without applying or pruning anything, a server whose host key
 * is not the known one, a client key the server does not know, and an encrypted key.
 */
@IntegrationTest
class SyncOverSshIT {
  private static CliResult sync(TestingNamespace ns, TestingSshGitServer ssh,
      TestingGitServer.Repo repo, Path dir, Path key, Path knownHosts) {
    return run("sync", "--repo", ssh.sshUrl(repo), "--once", "--prune",
        "--ssh-key", key.toString(), "--known-hosts", knownHosts.toString(),
        "--cache-dir", dir.resolve("cache").toString(),
        "--kubeconfig", ns.kubeconfig().toString());
  }

  private static GenericKubernetesResource policyIn(TestingNamespace ns, String name) {
    return ns.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY).withName(name)
        .get();
  }

  /** The one error line of a failed sync; nothing in stderr names a Java class or a frame. */
  private static String errorLine(CliResult sync) {
    assertThat(sync.exitCode()).as(sync.toString()).isEqualTo(2);
    assertNamesNoClass(sync.err());
    List<String> errors = new ArrayList<>(sync.err().lines()
        .filter(line -> line.startsWith("error: ")).toList());
    assertThat(errors).as(sync.toString()).hasSize(1);
    return errors.get(0);
  }

  /** No stack frame, no exception class (SshException, java.net.ConnectException...). */
  private static void assertNamesNoClass(String output) {
    assertThat(output).doesNotContain("\tat ")
        .doesNotContainPattern("\\b[A-Z][A-Za-z]*(Exception|Error)\\b");
  }

  @Test
  void appliesOverSshThenPicksUpAChange(TestingNamespace ns, TestingSshGitServer ssh,
      @TempDir Path dir) {
    TestingGitServer.Repo repo = ssh.createRepository("policies");
    String file = "policies/namespaces/" + ns.name() + "/policy.yaml";
    String first = repo.commit("seed", Map.of(file, policy("team", "baseline")));

    CliResult seeded = sync(ns, ssh, repo, dir, ssh.clientKey(), ssh.knownHosts());

    assertThat(seeded.exitCode()).as(seeded.toString()).isZero();
    assertThat(seeded.err()).contains("devopspolicy.devops.stochastic.io/team created")
        .contains("revision " + first + " (full sync): 1 applied, 0 pruned");
    assertThat(ssh.log()).contains("Accepted publickey for " + System.getProperty("user.name"));

    String second = repo.commit("restrict", Map.of(file, policy("team", "restricted")));
    CliResult changed = sync(ns, ssh, repo, dir, ssh.clientKey(), ssh.knownHosts());

    assertThat(changed.exitCode()).as(changed.toString()).isZero();
    assertThat(changed.err()).contains("revision " + second + ": 1 applied, 0 pruned");
    assertThat(policyIn(ns, "team").getAdditionalProperties().get("spec"))
        .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("bundle", "restricted");
  }

  @Test
  void aHostKeyNotInKnownHostsFailsTheFetchAndChangesNothing(TestingNamespace ns,
      TestingSshGitServer ssh, @TempDir Path dir) {
    TestingGitServer.Repo repo = ssh.createRepository("policies");
    String file = "policies/namespaces/" + ns.name() + "/policy.yaml";
    repo.commit("seed", Map.of(file, policy("team", "baseline")));
    assertThat(sync(ns, ssh, repo, dir, ssh.clientKey(), ssh.knownHosts()).exitCode()).isZero();
    // the tree now defines another policy only: a sync that fetched it would prune "team"
    repo.commit("replace", Map.of("policies/namespaces/" + ns.name() + "/other.yaml",
        policy("other", "baseline")));
    Path impostor = TestingSshGitServer.publicKey(ssh.newKey("impostor"));
    Path knownHosts = ssh.knownHostsWith(impostor);

    CliResult sync = sync(ns, ssh, repo, dir, ssh.clientKey(), knownHosts);

    assertThat(errorLine(sync)).endsWith(ssh.sshUrl(repo) + "@main:policies: cannot fetch: the "
        + "server's host key is not in the known_hosts file " + knownHosts + " (an unknown host, "
        + "or its key changed)");
    assertThat(policyIn(ns, "team")).as("not pruned").isNotNull();
    assertThat(policyIn(ns, "other")).as("not applied").isNull();
  }

  @Test
  void aKeyTheServerDoesNotKnowIsAnAuthenticationFailure(TestingNamespace ns,
      TestingSshGitServer ssh, @TempDir Path dir) {
    TestingGitServer.Repo repo = ssh.createRepository("policies");
    repo.commit("seed", Map.of("policies/namespaces/" + ns.name() + "/policy.yaml",
        policy("team", "baseline")));

    Path stranger = ssh.newKey("stranger");

    CliResult sync = sync(ns, ssh, repo, dir, stranger, ssh.knownHosts());

    assertThat(errorLine(sync)).endsWith(ssh.sshUrl(repo) + "@main:policies: cannot fetch: the "
        + "server refused the SSH key " + stranger + " (authentication failed)");
    assertThat(policyIn(ns, "team")).isNull();
  }

  @Test
  void anEncryptedKeyIsRefusedAtStart(TestingNamespace ns, TestingSshGitServer ssh,
      @TempDir Path dir) {
    TestingGitServer.Repo repo = ssh.createRepository("policies");
    Path key = ssh.newKey("encrypted", "a passphrase");

    CliResult sync = sync(ns, ssh, repo, dir, key, ssh.knownHosts());

    assertThat(sync.exitCode()).isEqualTo(2);
    assertThat(sync.err()).isEqualTo("error: --ssh-key " + key + ": the key is protected by a "
        + "passphrase, which is not supported: use a key without one (ssh-keygen -p -N '' -f "
        + key + " removes it)" + System.lineSeparator());
  }

  /**
   * The packaged jar (its merged ServiceLoader files, its crypto providers) syncs over SSH, and
   * never reads ~/.ssh: the home directory it is given has an ssh_config that would send every
   * host to a name that does not resolve.
   */
  @Test
  void theLaunchedJarSyncsOverSshAndNeverReadsTheHomeSshDirectory(TestingNamespace ns,
      TestingSshGitServer ssh, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = ssh.createRepository("policies");
    repo.commit("seed", Map.of("policies/namespaces/" + ns.name() + "/policy.yaml",
        policy("team", "baseline")));
    Path home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
    Files.writeString(home.resolve(".ssh/config"), "Host *\n  HostName nowhere.invalid\n");

    String synced = launch(home, ns, ssh, repo, dir, ssh.clientKey(), 0);

    assertThat(synced).contains("devopspolicy.devops.stochastic.io/team created");
    assertNamesNoClass(synced);
    assertThat(policyIn(ns, "team")).isNotNull();
  }

  /** Runs {@code bin/kube-devops sync --once} with {@code home} as HOME; returns its output. */
  private static String launch(Path home, TestingNamespace ns, TestingSshGitServer ssh,
      TestingGitServer.Repo repo, Path dir, Path key, int exitCode) throws Exception {
    Path log = Files.createTempFile(dir, "sync", ".log");
    ProcessBuilder launcher = new ProcessBuilder("bin/kube-devops", "sync", "--once",
        "--repo", ssh.sshUrl(repo), "--ssh-key", key.toString(),
        "--known-hosts", ssh.knownHosts().toString(),
        "--cache-dir", dir.resolve("cache").toString(),
        "--kubeconfig", ns.kubeconfig().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    launcher.environment().put("HOME", home.toString());
    launcher.environment().put("JAVA_OPTS", "-Duser.home=" + home);
    Process sync = launcher.start();
    try {
      assertThat(sync.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      assertThat(sync.exitValue()).as(Files.readString(log)).isEqualTo(exitCode);
      return Files.readString(log);
    } finally {
      sync.destroyForcibly();
    }
  }
}
