package io.stochastic.devops.gitops;

import java.util.List;

/**
 * What the sync remembers about one cluster, kept in that cluster ({@link SyncStateStore}) so
 * that it survives restarts and {@code sync status} can show it.
 *
 * @param lastAppliedRevision the commit whose tree was last applied completely, or null
 * @param lastAttemptedRevision the commit the last round worked on, or null
 * @param inventory every object the sync applied and has not pruned: the only objects it may
 *     ever prune
 * @param lastError the last round's failure in one line, or null when it succeeded
 * @param invalidFiles files of the last attempted tree skipped for lint errors
 */
public record SyncState(String lastAppliedRevision, String lastAttemptedRevision,
    List<InventoryEntry> inventory, String lastError, List<String> invalidFiles) {

  public static final SyncState EMPTY = new SyncState(null, null, List.of(), null, List.of());

  public SyncState {
    inventory = inventory == null ? List.of() : List.copyOf(inventory);
    invalidFiles = invalidFiles == null ? List.of() : List.copyOf(invalidFiles);
  }

  /**
   * One object the sync applied.
   *
   * @param namespace null for a cluster-scoped object (a CRD)
   * @param revision the commit it was last applied from (null in states written before it was
   *     recorded): what a self-heal keeps in its source-revision annotation
   */
  public record InventoryEntry(String kind, String namespace, String name, String uid,
      String sourcePath, String revision) {
    /** {@code kind/namespace/name}: what identifies the object across rounds. */
    public String key() {
      return kind + "/" + namespace + "/" + name;
    }
  }
}
