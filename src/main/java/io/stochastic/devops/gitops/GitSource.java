package io.stochastic.devops.gitops;

import java.util.Objects;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Where the policies come from: a branch of a Git repository, and the directory of its tree that
 * holds them.
 *
 * @param url the repository ({@code https://...}, {@code file://...}, {@code ssh://...})
 * @param branch the branch to follow ({@code main})
 * @param path the directory under which policies are read ({@code policies}), without leading
 *     or trailing slash; empty for the whole tree
 * @param credentials HTTPS credentials (user and token), or null for none
 */
public record GitSource(String url, String branch, String path, CredentialsProvider credentials) {
  public GitSource {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(branch, "branch");
    path = path == null ? "" : path.replaceAll("^/+|/+$", "");
  }

  /** {@code url@branch:path}, as logs and errors name the source. */
  public String describe() {
    return url + "@" + branch + (path.isEmpty() ? "" : ":" + path);
  }
}
