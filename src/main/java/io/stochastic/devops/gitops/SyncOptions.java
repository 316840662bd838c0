package io.stochastic.devops.gitops;

/**
 * How a sync round may change the cluster.
 *
 * @param prune delete objects the sync applied that the tree no longer defines (off by default:
 *     deleting is opt-in)
 * @param dryRun ask the API server what applying would do (server-side dry run), delete nothing,
 *     store no state
 * @param allowEmpty let a tree that defines no policies at all prune everything the sync applied;
 *     without it such a tree (a wrong path, an emptied branch) prunes nothing
 */
public record SyncOptions(boolean prune, boolean dryRun, boolean allowEmpty) {
  public static final SyncOptions APPLY_ONLY = new SyncOptions(false, false, false);
}
