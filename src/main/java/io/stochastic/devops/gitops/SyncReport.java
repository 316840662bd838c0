package io.stochastic.devops.gitops;

import io.stochastic.devops.kube.ApplyResult;
import java.util.List;

/**
 * What one sync round did.
 *
 * @param revision the head commit synced
 * @param fullSync whether every policy of the tree was applied (first sync, last applied commit
 *     unknown locally, or history rewritten) rather than those of the changed files
 * @param upToDate the head was already applied: nothing was done
 * @param applied the objects applied (or dry-run applied) because their files changed, or all of
 *     them on a full sync: CRDs first, then policies
 * @param healed objects whose files did not change that a self-heal round found changed or
 *     deleted in the cluster and re-applied (or would, on a dry run)
 * @param failed the objects the cluster refused
 * @param pruned {@code kind/namespace/name} of each object deleted (or that would be, on a dry
 *     run)
 * @param notPruned objects the tree no longer defines but that were kept, each with why
 * @param invalidFiles files skipped for lint errors
 * @param problems lint errors and warnings, and policies that could not be applied, one line each
 */
public record SyncReport(String revision, boolean fullSync, boolean upToDate,
    List<ApplyResult> applied, List<ApplyResult> healed, List<SyncFailure> failed,
    List<String> pruned,
    List<String> notPruned, List<String> invalidFiles, List<String> problems) {

  public SyncReport {
    applied = List.copyOf(applied);
    healed = List.copyOf(healed);
    failed = List.copyOf(failed);
    pruned = List.copyOf(pruned);
    notPruned = List.copyOf(notPruned);
    invalidFiles = List.copyOf(invalidFiles);
    problems = List.copyOf(problems);
  }
}
