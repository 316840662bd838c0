package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.ApiGroup;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ApplyResult;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyImporter;
import io.stochastic.devops.gitops.SyncState.InventoryEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync round against one cluster: fetch the branch, read and lint the tree under the path,
 * apply with server-side apply (field manager {@code kube-devops-sync}, forcing conflicts: Git is
 * the source of truth) the policies of the files changed since the last applied commit — or of
 * every file on a full sync — and, with {@link SyncOptions#prune()}, delete what the tree no
 * longer defines, under every safety rule of the issue:
 *
 * <ul>
 *   <li>only objects in the sync's own inventory ({@link SyncState}), still carrying its
 *       managed-by label, with the uid it recorded (a recreated object is someone else's);
 *   <li>never one annotated {@code devops.stochastic.io/prune: disabled};
 *   <li>never one whose file is in the tree but fails lint (broken is not deleted);
 *   <li>nothing when the tree defines no policy at all, unless {@link SyncOptions#allowEmpty()};
 *   <li>nothing when the repository cannot be fetched or its tree read: the round fails before
 *       any change.
 * </ul>
 *
 * The last applied commit advances only when every policy applied; otherwise the next round
 * diffs from the same commit again, so a refused policy is retried.
 */
public final class PolicySync {
  private static final Logger LOG = LoggerFactory.getLogger(PolicySync.class);
  private static final String KIND = ApiGroup.DEVOPS_POLICY;

  private final GitSource source;
  private final GitMirror mirror;
  private final PolicyLinter linter;
  private final ClusterSession cluster;
  private final SyncStateStore store;
  private final PolicyImporter importer;
  /** An idle poll (head unchanged) reads and lints nothing: the last round's tree serves. */
  private final LastTree lastTree = new LastTree();

  public PolicySync(GitSource source, GitMirror mirror, PolicyLinter linter,
      ClusterSession cluster, SyncStateStore store, ObjectYaml yaml) {
    this.source = source;
    this.mirror = mirror;
    this.linter = linter;
    this.cluster = cluster;
    this.store = store;
    this.importer = new PolicyImporter(cluster, yaml);
  }

  /**
   * Runs one round.
   *
   * @throws GitFetchException the repository could not be fetched or read: nothing was applied
   *     or pruned; the error is stored in the state
   */
  public SyncReport sync(SyncOptions options) throws GitFetchException {
    SyncState state = store.load();
    ObjectId head;
    PolicyTree tree;
    try {
      head = mirror.fetch();
      tree = lastTree.read(mirror.repository(), head, source.path(), linter);
    } catch (GitFetchException e) {
      if (!options.dryRun()) {
        store.save(new SyncState(state.lastAppliedRevision(), state.lastAttemptedRevision(),
            state.inventory(), e.getMessage(), state.invalidFiles()));
      }
      throw e;
    }
    String revision = head.name();
    String last = state.lastAppliedRevision();
    // an applied head still gets its prune pass: --prune may be new, or an annotation removed
    boolean upToDate = revision.equals(last) && state.lastError() == null;
    boolean full = !upToDate
        && (last == null || !mirror.has(last) || !mirror.isAncestor(last, head));
    if (full && last != null) {
      LOG.info("{}: last applied commit {} is {}: full sync of {}", source.describe(), last,
          mirror.has(last) ? "not an ancestor of the head (history rewritten)"
              : "not in the local copy", revision);
    }
    List<DesiredPolicy> toApply = upToDate ? List.of() : full ? tree.policies()
        : tree.policiesIn(TreeChanges.changedFiles(mirror.repository(), last, head,
            source.path()));
    for (String problem : tree.problems()) {
      LOG.warn("{}: lint: {}", source.describe(), problem);
    }
    for (String file : tree.invalidFiles()) {
      LOG.warn("{}: {} skipped: lint errors (listed above)", source.describe(), file);
    }
    PolicyImporter.Report applied = importer.apply(toApply, options.dryRun(), true);
    for (ApplyResult result : applied.results()) {
      LOG.info("{}: {} from {}@{}", source.describe(), result.describe(), result.source(),
          abbreviate(revision));
    }
    for (PolicyImporter.Failure failure : applied.failures()) {
      LOG.warn("{}: {}: {}", source.describe(), failure.policy().source(), failure.message());
    }

    Map<String, InventoryEntry> inventory = new LinkedHashMap<>();
    state.inventory().forEach(entry -> inventory.put(entry.key(), entry));
    for (ApplyResult result : applied.results()) {
      if (!result.dryRun()) {
        InventoryEntry entry = new InventoryEntry(KIND, result.namespace(), result.name(),
            result.uid(), sourceFile(result.source()));
        inventory.put(entry.key(), entry);
      }
    }
    List<String> pruned = new ArrayList<>();
    List<String> notPruned = new ArrayList<>();
    prune(tree, options, inventory, pruned, notPruned);

    List<String> problems = new ArrayList<>(tree.problems());
    problems.addAll(tree.notApplied());
    if (!options.dryRun()) {
      boolean complete = applied.failures().isEmpty();
      String error = complete ? null : applied.failures().size() + " of " + toApply.size()
          + " policies refused; first: " + applied.failures().get(0).policy().source() + ": "
          + applied.failures().get(0).message();
      SyncState next = new SyncState(complete ? revision : last, revision,
          List.copyOf(inventory.values()), error, List.copyOf(tree.invalidFiles()));
      if (!next.equals(state)) {
        // an idle poll writes nothing
        store.save(next);
      }
    }
    return new SyncReport(revision, full, upToDate, applied.results(), applied.failures(), pruned,
        notPruned, List.copyOf(tree.invalidFiles()), problems);
  }

  private void prune(PolicyTree tree, SyncOptions options, Map<String, InventoryEntry> inventory,
      List<String> pruned, List<String> notPruned) {
    Set<String> defined = tree.policies().stream()
        .map(p -> KIND + "/" + p.namespace() + "/" + p.name())
        .collect(Collectors.toSet());
    List<InventoryEntry> gone = inventory.values().stream()
        .filter(entry -> !defined.contains(entry.key()))
        .toList();
    for (InventoryEntry entry : gone) {
      if (tree.invalidFiles().contains(entry.sourcePath())) {
        notPruned.add(entry.key() + ": its file " + entry.sourcePath() + " fails lint");
      } else if (!options.prune()) {
        notPruned.add(entry.key() + ": no longer in the tree (--prune deletes it)");
      } else if (tree.policies().isEmpty() && !options.allowEmpty()) {
        notPruned.add(entry.key() + ": the tree defines no policies (--allow-empty prunes)");
      } else {
        pruneOne(entry, options.dryRun(), inventory, pruned, notPruned);
      }
    }
    notPruned.forEach(line -> LOG.info("{}: not pruned: {}", source.describe(), line));
  }

  private void pruneOne(InventoryEntry entry, boolean dryRun,
      Map<String, InventoryEntry> inventory, List<String> pruned, List<String> notPruned) {
    var resource = cluster.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY)
        .inNamespace(entry.namespace()).withName(entry.name());
    GenericKubernetesResource live;
    try {
      live = cluster.request("reading " + entry.key(), resource::get);
    } catch (ClusterRequestException e) {
      notPruned.add(entry.key() + ": " + e.getMessage());
      return;
    }
    if (live == null) {
      inventory.remove(entry.key());
      return;
    }
    Map<String, String> labels = live.getMetadata().getLabels();
    Map<String, String> annotations = live.getMetadata().getAnnotations();
    if (labels == null || !Labels.MANAGED_BY_SYNC.equals(labels.get(Labels.MANAGED_BY))) {
      // someone took the object over: it is no longer the sync's to delete, ever
      inventory.remove(entry.key());
      notPruned.add(entry.key() + ": no " + Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_SYNC
          + " label any more; released from the inventory");
    } else if (entry.uid() != null && !entry.uid().equals(live.getMetadata().getUid())) {
      inventory.remove(entry.key());
      notPruned.add(entry.key() + ": recreated since the sync applied it (uid "
          + live.getMetadata().getUid() + ", not " + entry.uid() + "); released");
    } else if (annotations != null && "disabled".equals(annotations.get(Annotations.PRUNE))) {
      notPruned.add(entry.key() + ": annotated " + Annotations.PRUNE + ": disabled");
    } else {
      try {
        if (!dryRun) {
          cluster.request("pruning " + entry.key(), () -> resource.delete());
          inventory.remove(entry.key());
        }
        pruned.add(entry.key());
        LOG.info("{}: {} {}", source.describe(), entry.key(),
            dryRun ? "would be pruned (dry run)" : "pruned");
      } catch (ClusterRequestException e) {
        notPruned.add(entry.key() + ": " + e.getMessage());
      }
    }
  }

  private static String sourceFile(String source) {
    int hash = source.lastIndexOf('#');
    return hash < 0 ? source : source.substring(0, hash);
  }

  private static String abbreviate(String revision) {
    return revision.substring(0, Math.min(12, revision.length()));
  }
}
