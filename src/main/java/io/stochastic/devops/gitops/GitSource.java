package io.stochastic.devops.gitops;

import java.net.URISyntaxException;
import java.util.Objects;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * Where the policies come from: a branch of a Git repository, and the directory of its tree that
 * holds them.
 *
 * @param url the repository ({@code https://...}, {@code file://...}, {@code ssh://...}, {@code
 *     git@host:path})
 * @param branch the branch to follow ({@code main})
 * @param path the directory under which policies are read ({@code policies}), without leading
 *     or trailing slash; empty for the whole tree
 * @param auth how to authenticate: SSH authentication exactly when {@code url} is an SSH
 *     repository ({@link #isSsh})
 */
public record GitSource(String url, String branch, String path, GitAuth auth) {
  public GitSource {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(auth, "auth");
    path = path == null ? "" : path.replaceAll("^/+|/+$", "");
    // an SSH repository without the sync's own SSH setup would fall back to JGit's default,
    // which reads ~/.ssh
    if (auth.ssh() != isSsh(url)) {
      throw new IllegalArgumentException(auth.ssh()
          ? "SSH authentication is for SSH repositories, not " + url
          : "the SSH repository " + url + " needs SSH authentication (a key and known_hosts)");
    }
  }

  /**
   * Whether {@code url} is fetched over SSH, as JGit decides it: {@code ssh://}, {@code
   * git+ssh://} or the scp-like {@code [user@]host:path}.
   */
  public static boolean isSsh(String url) {
    try {
      URIish uri = new URIish(url);
      return Transport.getTransportProtocols().stream()
          .anyMatch(protocol -> protocol.getSchemes().contains("ssh") && protocol.canHandle(uri));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** {@code url@branch:path}, as logs and errors name the source. */
  public String describe() {
    return url + "@" + branch + (path.isEmpty() ? "" : ":" + path);
  }
}
