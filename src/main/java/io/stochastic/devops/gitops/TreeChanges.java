package io.stochastic.devops.gitops;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The manifest files under the source's path that a new head adds, modifies or renames compared
 * with the last applied commit (JGit's diff with rename detection). Those are the files whose
 * policies are applied again; a deleted file applies nothing (prune handles what it defined), and
 * a renamed file is re-applied in place (same object, new source-path annotation) instead of
 * being deleted and created again.
 */
public final class TreeChanges {
  private TreeChanges() {}

  public static Set<String> changedFiles(Repository repository, String from, ObjectId to,
      String path) throws GitFetchException {
    Set<String> changed = new TreeSet<>();
    try (RevWalk walk = new RevWalk(repository);
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      diff.setRepository(repository);
      diff.setDetectRenames(true);
      if (!path.isEmpty()) {
        diff.setPathFilter(PathFilter.create(path));
      }
      for (DiffEntry entry : diff.scan(walk.parseCommit(ObjectId.fromString(from)).getTree(),
          walk.parseCommit(to).getTree())) {
        if (entry.getChangeType() != DiffEntry.ChangeType.DELETE
            && PolicyTree.isManifest(entry.getNewPath())) {
          changed.add(entry.getNewPath());
        }
      }
    } catch (IOException e) {
      throw new GitFetchException("cannot diff " + from + " and " + to.name() + ": "
          + e.getMessage(), e);
    }
    return changed;
  }
}
