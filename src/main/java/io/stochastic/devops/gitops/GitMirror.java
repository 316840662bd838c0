package io.stochastic.devops.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * A local bare copy of the followed branch, fetched with JGit. The branch is fetched with a
 * forced refspec, so a force-pushed branch is followed too; the objects of earlier heads stay in
 * the local copy, so the last applied tree can still be diffed against after a history rewrite.
 *
 * <p>The fetch is not shallow, on purpose: the sync tells a fast-forward from a force-push by
 * whether the last applied commit is an ancestor of the new head, and a shallow history cuts
 * that ancestry off (every new head would look like a rewrite and force a full sync). After the
 * first fetch, a fetch only transfers the new objects anyway, and a policy repository is small.
 */
public final class GitMirror implements AutoCloseable {
  private final GitSource source;
  private final Repository repository;
  /** SSH sessions of this mirror's fetches, or null for a repository not fetched over SSH. */
  private final SshdSessionFactory ssh;

  private GitMirror(GitSource source, Repository repository) {
    this.source = source;
    this.repository = repository;
    this.ssh = source.auth() instanceof GitAuth.SshKey key ? SshSessions.factory(key) : null;
  }

  /** Opens the bare repository in {@code directory}, creating it when there is none. */
  public static GitMirror open(Path directory, GitSource source) throws IOException {
    Files.createDirectories(directory);
    Repository repository = new FileRepositoryBuilder().setGitDir(directory.toFile()).build();
    if (!repository.getObjectDatabase().exists()) {
      repository.create(true);
    }
    return new GitMirror(source, repository);
  }

  public Repository repository() {
    return repository;
  }

  /** Fetches the branch; returns its head commit. */
  public ObjectId fetch() throws GitFetchException {
    String ref = Constants.R_HEADS + source.branch();
    try {
      FetchCommand fetch = Git.wrap(repository).fetch()
          .setRemote(source.url())
          .setRefSpecs(new RefSpec("+" + ref + ":" + ref))
          .setTimeout(30);
      if (source.auth() instanceof GitAuth.Basic basic) {
        fetch.setCredentialsProvider(
            new UsernamePasswordCredentialsProvider(basic.username(), basic.token()));
      }
      // per fetch, not JGit's global SshSessionFactory: that one reads ~/.ssh
      fetch.setTransportConfigCallback(transport -> {
        if (transport instanceof SshTransport sshTransport) {
          sshTransport.setSshSessionFactory(ssh);
        }
      });
      fetch.call();
      ObjectId head = repository.resolve(ref);
      if (head == null) {
        throw new GitFetchException(source.describe() + ": no branch " + source.branch(), null);
      }
      return head;
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw new GitFetchException(source.describe() + ": cannot fetch: "
          + FetchProblems.describe(e, source), e);
    }
  }

  /** Whether {@code commit} is in the local copy (false after a restart on an empty volume). */
  public boolean has(String commit) {
    try {
      ObjectId id = ObjectId.fromString(commit);
      try (RevWalk walk = new RevWalk(repository)) {
        walk.parseCommit(id);
        return true;
      }
    } catch (MissingObjectException | IllegalArgumentException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code ancestor} is {@code head} or one of its ancestors (false: history rewritten). */
  public boolean isAncestor(String ancestor, ObjectId head) throws GitFetchException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
          walk.parseCommit(head));
    } catch (IOException e) {
      throw new GitFetchException(source.describe() + ": cannot walk history: " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    repository.close();
    if (ssh != null) {
      ssh.close();
    }
  }
}
