package io.stochastic.devops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stochastic.devops.testing.TestingSshGitServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which URLs are SSH repositories, that SSH authentication goes with them and only with them,
 * and that an SSH fetch that cannot connect says so plainly. Fetches from a real sshd are in
 * SyncOverSshIT.
 */
class GitSourceTest {
  @TempDir
  Path dir;

  @Test
  void sshUrlsAreTheOnesJGitFetchesOverSsh() {
    assertThat(GitSource.isSsh("ssh://git@git.example.com:2222/policies.git")).isTrue();
    assertThat(GitSource.isSsh("git+ssh://git.example.com/policies.git")).isTrue();
    assertThat(GitSource.isSsh("git@git.example.com:platform/policies.git")).isTrue();
    assertThat(GitSource.isSsh("https://git.example.com/policies.git")).isFalse();
    assertThat(GitSource.isSsh("file:///srv/git/policies.git")).isFalse();
    assertThat(GitSource.isSsh("/srv/git/policies.git")).isFalse();
  }

  @Test
  void sshAuthenticationGoesWithSshUrlsOnly() throws Exception {
    GitAuth ssh = sshAuth();
    assertThatThrownBy(() -> new GitSource("git@git.example.com:policies.git", "main", "",
        GitAuth.NONE)).hasMessageContaining("needs SSH authentication");
    assertThatThrownBy(() -> new GitSource("https://git.example.com/policies.git", "main", "",
        ssh)).hasMessageContaining("SSH authentication is for SSH repositories");
    assertThat(new GitSource("git@git.example.com:policies.git", "main", "/policies/", ssh)
        .describe()).isEqualTo("git@git.example.com:policies.git@main:policies");
    assertThat(ssh.toString()).doesNotContain("PrivateKey");
  }

  @Test
  void anSshServerThatIsNotThereIsOnePlainLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    GitSource source = new GitSource("ssh://git@127.0.0.1:" + port + "/policies.git", "main",
        "policies", sshAuth());

    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), source)) {
      assertThatThrownBy(mirror::fetch).isInstanceOf(GitFetchException.class)
          .hasMessage(source.describe() + ": cannot fetch: cannot connect: connection refused");
    }
  }

  private GitAuth sshAuth() throws Exception {
    Path key = TestingSshGitServer.writeKey(dir.resolve("id_ecdsa"));
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "git.example.com "
        + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    return GitAuth.sshKey(key, knownHosts);
  }
}
