package io.stochastic.devops.gitops;

import io.stochastic.devops.engine.input.IoProblems;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * JGit's Apache MINA SSH transport set up for a server component: one private key, one
 * known_hosts file, strict host key checking, nothing else. Without this, JGit would read the
 * user's ~/.ssh (config, default keys, known_hosts), ask an SSH agent and, for an unknown host,
 * try to ask the user.
 */
final class SshSessions {
  /**
   * The home and ~/.ssh directory JGit is given: one that does not exist, so that any lookup
   * this class does not replace finds nothing rather than the user's files.
   */
  private static final File NO_HOME = new File("/nonexistent/kube-devops-sync");

  /**
   * The ssh_config every host gets: strict host keys, public key only, never a prompt. Not
   * IdentitiesOnly: it would drop the key given as the default key; there is no agent anyway.
   */
  private static final SshConfigStore.HostConfig STRICT = hostConfig(Map.of(
      SshConstants.STRICT_HOST_KEY_CHECKING, SshConstants.YES,
      SshConstants.BATCH_MODE, SshConstants.YES,
      SshConstants.PREFERRED_AUTHENTICATIONS, "publickey"));

  private SshSessions() {}

  /** A session factory for {@code auth}; close it when done. */
  static SshdSessionFactory factory(GitAuth.SshKey auth) {
    List<KeyPair> keys = List.of(auth.key());
    List<Path> knownHosts = List.of(auth.knownHosts());
    SshConfigStore config = new SshConfigStore() {
      @Override
      public HostConfig lookup(String hostName, int port, String userName) {
        return STRICT;
      }

      @Override
      public HostConfig lookupDefault(String hostName, int port, String userName) {
        return STRICT;
      }
    };
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(NO_HOME)
        .setSshDirectory(NO_HOME)
        .setConfigStoreFactory((home, file, localUser) -> config)
        .setDefaultKnownHostsFiles(sshDir -> knownHosts)
        .setDefaultIdentities(sshDir -> List.of())
        .setDefaultKeysProvider(sshDir -> keys)
        .setPreferredAuthentications("publickey")
        .setConnectorFactory(null)
        .build(null);
  }

  /** The one key pair in {@code file}, an OpenSSH or PEM private key without passphrase. */
  static KeyPair readKey(Path file) throws GitAuthException {
    AtomicBoolean encrypted = new AtomicBoolean();
    FilePasswordProvider noPassphrase = (session, resource, retry) -> {
      encrypted.set(true);
      return null;
    };
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new GitAuthException(file, "cannot read: " + IoProblems.describe(e), e);
    }
    Iterable<KeyPair> keys;
    try {
      keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
          new ByteArrayInputStream(content), noPassphrase);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new GitAuthException(file, encrypted.get()
          ? "the key is protected by a passphrase, which is not supported: use a key without "
              + "one (ssh-keygen -p -N '' -f " + file + " removes it)"
          : "not a private key that can be read", e);
    }
    Iterator<KeyPair> found = keys == null ? null : keys.iterator();
    if (found == null || !found.hasNext()) {
      throw new GitAuthException(file, "holds no private key (a public key? give the file "
          + "without .pub)", null);
    }
    return found.next();
  }

  /** {@code file}, once it is known to be a readable known_hosts file with a host key. */
  static Path checkKnownHosts(Path file) throws GitAuthException {
    List<KnownHostEntry> entries;
    try {
      entries = KnownHostEntry.readKnownHostEntries(file);
    } catch (IOException e) {
      throw new GitAuthException(file, "cannot read: " + IoProblems.describe(e), e);
    } catch (RuntimeException e) {
      throw new GitAuthException(file, "not a known_hosts file (make it with ssh-keyscan)", e);
    }
    if (entries == null || entries.stream().allMatch(entry -> entry.getKeyEntry() == null)) {
      throw new GitAuthException(file, "holds no host key (make it with ssh-keyscan)", null);
    }
    return file;
  }

  private static SshConfigStore.HostConfig hostConfig(Map<String, String> values) {
    Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    options.putAll(values);
    return new SshConfigStore.HostConfig() {
      @Override
      public String getValue(String key) {
        return options.get(key);
      }

      @Override
      public List<String> getValues(String key) {
        String value = options.get(key);
        return value == null ? List.of() : List.of(value);
      }

      @Override
      public Map<String, String> getOptions() {
        return options;
      }

      @Override
      public Map<String, List<String>> getMultiValuedOptions() {
        return Map.of();
      }
    };
  }
}
