package io.stochastic.devops.gitops;

import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * The policy tree the last round read, kept for the next one: a poll that finds the head where
 * it was (the common case: most polls) reads and lints nothing. A commit's tree never changes, so
 * the tree read for the same commit and path is the same tree; the linter is the sync's own for
 * its whole life. Reading and linting 1,000 policy files cost about half a second of CPU per poll
 * before (docs/benchmarks.md).
 */
final class LastTree {
  private ObjectId commit;
  private String path;
  private PolicyTree tree;

  /** The tree of {@code commit} under {@code path}: the last one when they are the same. */
  synchronized PolicyTree read(Repository repository, ObjectId commit, String path,
      PolicyLinter linter) throws GitFetchException {
    if (tree == null || !commit.equals(this.commit) || !path.equals(this.path)) {
      tree = PolicyTree.read(repository, commit, path, linter);
      this.commit = commit.copy();
      this.path = path;
    }
    return tree;
  }
}
