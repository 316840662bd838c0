package io.stochastic.devops.cli;

import static io.stochastic.devops.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.testing.TestingSshGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync's repository authentication options ({@code --username}/{@code --token-file} for
 * HTTPS, {@code --ssh-key}/{@code --known-hosts} for SSH): every misuse is one error line and
 * exit 2, before any cluster or repository is contacted (the kubeconfig points nowhere). The
 * SSH transport itself is tested against a real sshd in SyncOverSshIT.
 */
class SyncAuthOptionsTest {
  private static final String SSH_REPO = "ssh://git@git.example.com/platform/policies.git";
  private static final String HTTPS_REPO = "https://git.example.com/platform/policies.git";

  @TempDir
  Path dir;
  private Path knownHosts;
  private Path token;

  @BeforeEach
  void files() throws Exception {
    knownHosts = Files.writeString(dir.resolve("known_hosts"), "git.example.com ssh-ed25519 "
        + "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    token = Files.writeString(dir.resolve("token"), "s3cret\n");
  }

  private CliResult sync(String... args) {
    List<String> all = new ArrayList<>(List.of("sync", "--once",
        "--kubeconfig", dir.resolve("no-kubeconfig").toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static void assertUsageError(CliResult result, String line) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("error: " + line + System.lineSeparator());
  }

  @Test
  void sshKeyAndKnownHostsGoTogether() {
    assertUsageError(sync("--repo", SSH_REPO, "--ssh-key", dir.resolve("id").toString()),
        "--ssh-key and --known-hosts go together");
    assertUsageError(sync("--repo", SSH_REPO, "--known-hosts", knownHosts.toString()),
        "--ssh-key and --known-hosts go together");
  }

  @Test
  void sshOptionsWithAnHttpsOrFileRepositoryAreAUsageError() {
    for (String repo : List.of(HTTPS_REPO, dir.toUri().toString())) {
      assertUsageError(sync("--repo", repo, "--ssh-key", dir.resolve("id").toString(),
              "--known-hosts", knownHosts.toString()),
          "--ssh-key and --known-hosts are for SSH repositories (ssh:// or git@host:path), "
              + "not " + repo);
    }
  }

  @Test
  void httpsOptionsWithAnSshRepositoryAreAUsageError() {
    assertUsageError(sync("--repo", SSH_REPO, "--username", "sync", "--token-file",
            token.toString()),
        "--username and --token-file are for HTTPS repositories; the SSH repository "
            + SSH_REPO + " takes --ssh-key and --known-hosts");
  }

  @Test
  void anSshRepositoryNeedsAKeyWhateverItsUrlForm() {
    for (String repo : List.of(SSH_REPO, "git+ssh://git.example.com/policies.git",
        "git@git.example.com:platform/policies.git")) {
      assertUsageError(sync("--repo", repo),
          "the SSH repository " + repo + " needs --ssh-key and --known-hosts");
    }
  }

  @Test
  void aMissingKeyFileOrKnownHostsFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing");
    assertUsageError(sync("--repo", SSH_REPO, "--ssh-key", missing.toString(),
            "--known-hosts", knownHosts.toString()),
        "--ssh-key " + missing + ": cannot read: no such file or directory");

    Path key = Files.writeString(dir.resolve("id.pub"), Files.readString(knownHosts)
        .substring("git.example.com ".length()));
    assertUsageError(sync("--repo", SSH_REPO, "--ssh-key", key.toString(),
            "--known-hosts", missing.toString()),
        "--ssh-key " + key + ": holds no private key (a public key? give the file without "
            + ".pub)");
  }

  @Test
  void aFileThatIsNotAKeyOrNotKnownHostsIsNamed() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("id"), "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + "bm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");
    assertUsageError(sync("--repo", SSH_REPO, "--ssh-key", notAKey.toString(),
            "--known-hosts", knownHosts.toString()),
        "--ssh-key " + notAKey + ": not a private key that can be read");

    Path key = TestingSshGitServer.writeKey(dir.resolve("id_ecdsa"));
    Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "# nothing yet\n");
    assertUsageError(sync("--repo", SSH_REPO, "--ssh-key", key.toString(),
            "--known-hosts", empty.toString()),
        "--known-hosts " + empty + ": holds no host key (make it with ssh-keyscan)");
    Path garbage = Files.writeString(dir.resolve("garbage_known_hosts"), "git.example.com\n");
    assertUsageError(sync("--repo", SSH_REPO, "--ssh-key", key.toString(),
            "--known-hosts", garbage.toString()),
        "--known-hosts " + garbage + ": holds no host key (make it with ssh-keyscan)");
  }

  @Test
  void httpsUserAndTokenStillGoTogether() {
    assertUsageError(sync("--repo", HTTPS_REPO, "--username", "sync"),
        "--username and --token-file go together");
    Path missing = dir.resolve("no-token");
    assertUsageError(sync("--repo", HTTPS_REPO, "--username", "sync", "--token-file",
            missing.toString()),
        "--token-file " + missing + ": cannot read: no such file or directory");
  }
}
