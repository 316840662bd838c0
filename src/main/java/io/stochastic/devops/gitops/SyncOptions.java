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
 * @param healEvery compare every object of the tree with the cluster and re-apply what was
 *     changed by hand on the first round and then every this many rounds; 0 never
 */
public record SyncOptions(boolean prune, boolean dryRun, boolean allowEmpty, int healEvery) {
  /** Polls between two self-heals by default: every 10 minutes at the default interval. */
  public static final int DEFAULT_HEAL_EVERY = 10;
  public static final SyncOptions APPLY_ONLY = new SyncOptions(false, false, false,
      DEFAULT_HEAL_EVERY);

  public SyncOptions {
    if (healEvery < 0) {
      throw new IllegalArgumentException("healEvery must be 0 or more, not " + healEvery);
    }
  }

  /** These options without self-heal rounds. */
  public SyncOptions withoutHeal() {
    return new SyncOptions(prune, dryRun, allowEmpty, 0);
  }
}
