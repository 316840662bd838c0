package io.stochastic.devops.gitops;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Objects;

/**
 * How the sync authenticates to the policy repository: not at all ({@code file://}, a public
 * repository), with an HTTPS user and token, or with an SSH key checked against a known_hosts
 * file. Credentials are read once, when the value is made (at start): a bad file is an error
 * before the first poll, not at every poll.
 */
public sealed interface GitAuth {
  /** No credentials. */
  GitAuth NONE = new None();

  /** Whether this authentication is for SSH repositories (else for HTTP(S) or file ones). */
  default boolean ssh() {
    return this instanceof SshKey;
  }

  /** HTTPS basic authentication; {@code token} may be a password or an access token. */
  static GitAuth basic(String username, String token) {
    return new Basic(username, token);
  }

  /**
   * SSH public-key authentication with the private key in {@code keyFile} (unencrypted), the
   * server's host key checked strictly against {@code knownHosts}. Nothing else is read: not
   * ~/.ssh (keys, config, known_hosts), not an SSH agent.
   *
   * @throws GitAuthException a file cannot be read, holds no usable key or is encrypted
   */
  static GitAuth sshKey(Path keyFile, Path knownHosts) throws GitAuthException {
    return new SshKey(keyFile, SshSessions.readKey(keyFile), SshSessions.checkKnownHosts(knownHosts));
  }

  /** No credentials. */
  record None() implements GitAuth {}

  /** HTTPS user and token. */
  record Basic(String username, String token) implements GitAuth {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", token=***]";
    }
  }

  /** An SSH key pair (read from {@code keyFile}) and the known_hosts file to check hosts with. */
  record SshKey(Path keyFile, KeyPair key, Path knownHosts) implements GitAuth {
    public SshKey {
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(knownHosts, "knownHosts");
    }

    @Override
    public String toString() {
      return "SshKey[keyFile=" + keyFile + ", knownHosts=" + knownHosts + "]";
    }
  }
}
