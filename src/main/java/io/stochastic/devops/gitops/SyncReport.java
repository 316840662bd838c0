package io.stochastic.devops.gitops;

import io.stochastic.devops.kube.ApplyResult;
import io.stochastic.devops.kube.PolicyImporter;
import java.util.List;

/**
 * What one sync round did.
 *
 * @param revision the head commit synced
 * @param fullSync whether every policy of the tree was applied (first sync, last applied commit
 *     unknown locally, or history rewritten) rather than those of the changed files
 * @param upToDate the head was already applied: nothing was done
 * @param applied the policies applied (or dry-run applied)
 * @param failed the policies the cluster refused
 * @param pruned {@code kind/namespace/name} of each object deleted (or that would be, on a dry
 *     run)
 * @param notPruned objects the tree no longer defines but that were kept, each with why
 * @param invalidFiles files skipped for lint errors
 * @param problems lint errors and warnings, and policies that could not be applied, one line each
 */
public record SyncReport(String revision, boolean fullSync, boolean upToDate,
    List<ApplyResult> applied, List<PolicyImporter.Failure> failed, List<String> pruned,
    List<String> notPruned, List<String> invalidFiles, List<String> problems) {

  public SyncReport {
    applied = List.copyOf(applied);
    failed = List.copyOf(failed);
    pruned = List.copyOf(pruned);
    notPruned = List.copyOf(notPruned);
    invalidFiles = List.copyOf(invalidFiles);
    problems = List.copyOf(problems);
  }
}
