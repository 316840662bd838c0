package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.ApiGroup;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.gitops.SyncState.InventoryEntry;
import io.stochastic.devops.kube.ApplyAction;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ApplyResult;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.CrdInstaller;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.kube.KubeAccessException;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyImporter;
import io.stochastic.devops.kube.ServerFields;
import io.stochastic.devops.kube.ServerSideApplier;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.vap.VapExporter;
import java.util.HashMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

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
 *
 * <p>CRDs the tree carries are applied first and waited for (Established), so that the policies
 * of the same commit that need them apply; they are never pruned. On its first round and then
 * every {@link SyncOptions#healEvery()} rounds, the sync also re-applies every object of the
 * tree whose file did not change and whose live object no longer holds what the tree gives it
 * ({@link DriftCheck}: one list), and reports those the cluster had changed or lost (a hand
 * edit, a {@code kubectl delete}) as healed: a log line, a metric and a Warning Event
 * {@code DriftCorrected} on the object.
 */
public final class PolicySync {
  private static final Logger LOG = LoggerFactory.getLogger(PolicySync.class);
  static final String POLICY_KIND = ApiGroup.DEVOPS_POLICY;
  /** How long a CRD of the tree may take to become Established before its policies apply. */
  static final Duration CRD_ESTABLISHED_TIMEOUT = Duration.ofSeconds(30);

  /** The reasons of the Events the sync records on the objects it manages. */
  public enum EventReason {
    /** Created or configured from a new commit (not on a full sync: the log names those). */
    Synced,
    /** Changed or deleted in the cluster, not in Git, and re-applied by a self-heal round. */
    DriftCorrected,
    /** Deleted because the tree no longer defines it ({@code --prune}). */
    Pruned
  }

  private final GitSource source;
  private final GitMirror mirror;
  private final PolicyLinter linter;
  private final ClusterSession cluster;
  private final SyncStateStore store;
  private final PolicyImporter importer;
  private final CrdInstaller crds;
  private final InventoryPruner pruner;
  private final EventRecorder events;
  /** {@code --vap}: the ValidatingAdmissionPolicies of each policy; null without it. */
  private final VapTranslation vaps;
  private final ServerSideApplier vapApplier;
  private final ServerSideApplier bindingApplier;
  /** The last tree's exports: an idle poll translates nothing again. */
  private Exports exports;
  private int roundsUntilHeal;
  /** An idle poll (head unchanged) reads and lints nothing: the last round's tree serves. */
  private final LastTree lastTree = new LastTree();

  /**
   * @param events where the Events about synced objects go, or null for none
   */
  public PolicySync(GitSource source, GitMirror mirror, PolicyLinter linter,
      ClusterSession cluster, SyncStateStore store, ObjectYaml yaml, EventRecorder events) {
    this(source, mirror, linter, cluster, store, yaml, events, null);
  }

  /**
   * @param vaps with {@code --vap}: the desired state also holds the ValidatingAdmissionPolicies
   *     and bindings each policy exports; null without it (those the sync applied before are
   *     then pruned with {@code --prune})
   */
  public PolicySync(GitSource source, GitMirror mirror, PolicyLinter linter,
      ClusterSession cluster, SyncStateStore store, ObjectYaml yaml, EventRecorder events,
      VapTranslation vaps) {
    this.vaps = vaps;
    this.vapApplier = new ServerSideApplier(cluster, ApiResources.VALIDATING_ADMISSION_POLICY,
        FieldManagers.SYNC, ObjectYaml.asIs());
    this.bindingApplier = new ServerSideApplier(cluster,
        ApiResources.VALIDATING_ADMISSION_POLICY_BINDING, FieldManagers.SYNC, ObjectYaml.asIs());
    this.source = source;
    this.mirror = mirror;
    this.linter = linter;
    this.cluster = cluster;
    this.store = store;
    this.importer = new PolicyImporter(cluster, yaml);
    this.crds = new CrdInstaller(cluster, FieldManagers.SYNC);
    this.pruner = new InventoryPruner(cluster);
    this.events = events;
  }

  /** Runs one round as the only replica (no leader election). */
  public SyncReport sync(SyncOptions options) throws GitFetchException {
    return sync(options, () -> true);
  }

  /**
   * Runs one round.
   *
   * @param leading whether this replica still leads, asked before it changes anything, before it
   *     prunes and before it stores the state: a replica that lost the lead mid-round leaves the
   *     rest of the round to the new leader
   * @throws GitFetchException the repository could not be fetched or read: nothing was applied
   *     or pruned; the error is stored in the state
   */
  public SyncReport sync(SyncOptions options, BooleanSupplier leading) throws GitFetchException {
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
    boolean heal = options.healEvery() > 0 && roundsUntilHeal <= 0 && !full;
    if (full && last != null) {
      LOG.atInfo().addKeyValue("revision", abbreviate(revision))
          .addKeyValue("lastApplied", abbreviate(last))
          .log("full sync: the last applied commit is {}", mirror.has(last)
              ? "not an ancestor of the head (history rewritten)" : "not in the local copy");
    }
    Set<String> changedFiles = upToDate || full ? Set.of()
        : TreeChanges.changedFiles(mirror.repository(), last, head, source.path());
    List<DesiredCrd> changedCrds = upToDate ? List.of() : full ? tree.crds()
        : tree.crdsIn(changedFiles);
    List<DesiredPolicy> changedPolicies = upToDate ? List.of() : full ? tree.policies()
        : tree.policiesIn(changedFiles);
    if (!upToDate || heal) {
      // lint findings once per commit (and heal), not on every idle poll
      for (String problem : tree.problems()) {
        LOG.atWarn().addKeyValue("revision", abbreviate(revision)).log("lint: {}", problem);
      }
      for (String file : tree.invalidFiles()) {
        LOG.atWarn().addKeyValue("source", file).addKeyValue("revision", abbreviate(revision))
            .log("file skipped: lint errors (listed above)");
      }
    }
    if (!leading.getAsBoolean()) {
      LOG.atInfo().addKeyValue("revision", abbreviate(revision))
          .log("lost the lead before applying: the new leader syncs");
      return new SyncReport(revision, full, true, List.of(), List.of(), List.of(), List.of(),
          List.of("this replica lost the lead: nothing applied or pruned"),
          List.copyOf(tree.invalidFiles()), List.copyOf(tree.problems()));
    }

    Map<String, InventoryEntry> inventory = new LinkedHashMap<>();
    state.inventory().forEach(entry -> inventory.put(entry.key(), entry));
    Applied applied = new Applied(revision, full, inventory);
    applyCrds(changedCrds, options, applied, false);
    if (heal) {
      applyCrds(unchangedCrds(tree.crds(), changedCrds, inventory, revision), options, applied,
          true);
    }
    applyPolicies(changedPolicies, options, applied, false);
    if (heal) {
      healPolicies(unchangedPolicies(tree.policies(), changedPolicies, inventory, revision),
          options, applied);
    }
    Exports exported = exports(tree);
    int attemptedVaps = 0;
    if (exported != null) {
      for (SyncFailure failure : exported.failures()) {
        if (!upToDate || heal) {
          applied.failures.add(failure);
          logObject(LOG.atWarn(), failure.object(), PolicyTree.fileOf(failure.source()),
              revision, "not exported as ValidatingAdmissionPolicies: " + failure.message());
        }
      }
      // the objects of changed policies, and those never applied (--vap just turned on, a
      // check newly exported): applied; the others only checked for drift by a heal
      List<VapTranslation.DesiredVap> apply = new ArrayList<>(
          exported.of(changedPolicies, applied));
      Set<String> applying = new HashSet<>();
      apply.forEach(vap -> applying.add(vap.key()));
      List<VapTranslation.DesiredVap> unchanged = new ArrayList<>();
      for (VapTranslation.DesiredVap vap : exported.of(tree.policies(), applied)) {
        if (applying.contains(vap.key())) {
          continue;
        }
        (inventory.containsKey(vap.key()) ? unchanged : apply).add(vap);
      }
      attemptedVaps = apply.size();
      applyVaps(apply, options, applied, false);
      if (heal) {
        healVaps(unchanged, options, applied);
      }
    }

    InventoryPruner.Outcome prune = pruner.prune(tree,
        exported == null ? Set.of() : exported.keys(),
        exported == null ? Set.of() : exported.untranslatedFiles(), options, inventory,
        leading);
    List<String> pruned = new ArrayList<>();
    for (InventoryEntry entry : prune.pruned()) {
      pruned.add(entry.key());
      logObject(LOG.atInfo(), entry.key(), entry.sourcePath(), revision,
          options.dryRun() ? "would be pruned (dry run)" : "pruned");
      if (events != null && !options.dryRun()) {
        if (entry.namespace() == null) {
          // cluster-scoped (a VAP): the log line says it; no Event in some other namespace
          continue;
        }
        events.record(reference(entry.kind(), ApiGroup.GROUP + "/v1", entry.namespace(),
            entry.name(), entry.uid()), EventRecorder.Type.Normal, EventReason.Pruned, "Prune",
            "deleted: " + entry.sourcePath() + " no longer defines it at "
                + abbreviate(revision));
      }
    }
    prune.notPruned().forEach(line -> LOG.info("not pruned: {}", line));

    List<String> problems = new ArrayList<>(tree.problems());
    problems.addAll(tree.notApplied());
    if (!options.dryRun() && leading.getAsBoolean()) {
      boolean complete = applied.failures.isEmpty();
      int attempted = changedCrds.size() + changedPolicies.size() + attemptedVaps;
      String error = complete ? null : applied.failures.size() + " of " + attempted
          + " objects refused; first: " + applied.failures.get(0).source() + ": "
          + applied.failures.get(0).message();
      SyncState next = new SyncState(complete ? revision : last, revision,
          List.copyOf(inventory.values()), error, List.copyOf(tree.invalidFiles()));
      if (!next.equals(state)) {
        // an idle poll writes nothing
        store.save(next);
      }
    }
    // a full sync re-applied everything: it counts as a heal
    roundsUntilHeal = heal || full ? options.healEvery() - 1 : roundsUntilHeal - 1;
    // an applied head still applies VAPs never applied (--vap just turned on): not up to date
    return new SyncReport(revision, full,
        upToDate && applied.healed.isEmpty() && applied.results.isEmpty(), applied.results,
        applied.healed, applied.failures, pruned, prune.notPruned(),
        List.copyOf(tree.invalidFiles()), problems);
  }

  /** What a round's applies did, and the inventory they update. */
  private static final class Applied {
    final String revision;
    /**
     * A full sync: every object applied, so no Synced Event each (a first sync of 1,000
     * policies would double its requests); its log lines name every object.
     */
    final boolean full;
    final Map<String, InventoryEntry> inventory;
    final List<ApplyResult> results = new ArrayList<>();
    final List<ApplyResult> healed = new ArrayList<>();
    final List<SyncFailure> failures = new ArrayList<>();

    Applied(String revision, boolean full, Map<String, InventoryEntry> inventory) {
      this.revision = revision;
      this.full = full;
      this.inventory = inventory;
    }
  }

  private void applyCrds(List<DesiredCrd> desired, SyncOptions options, Applied applied,
      boolean healing) {
    List<ApplyResult> done = new ArrayList<>();
    for (DesiredCrd crd : desired) {
      try {
        done.add(crds.apply(crd.object(), crd.source(), options.dryRun(), true));
      } catch (ClusterRequestException e) {
        String key = InventoryPruner.key(DesiredCrd.KIND, null, crd.name());
        applied.failures.add(new SyncFailure(crd.source(), key, e.getMessage()));
        logObject(LOG.atWarn(), key, PolicyTree.fileOf(crd.source()), applied.revision,
            "refused: " + e.getMessage());
      }
    }
    for (ApplyResult result : done) {
      if (!result.dryRun() && result.action() != ApplyAction.UNCHANGED) {
        try {
          crds.awaitEstablished(result.name(), CRD_ESTABLISHED_TIMEOUT);
        } catch (KubeAccessException e) {
          String key = InventoryPruner.key(DesiredCrd.KIND, null, result.name());
          applied.failures.add(new SyncFailure(result.source(), key, e.getMessage()));
          logObject(LOG.atWarn(), key, PolicyTree.fileOf(result.source()), applied.revision,
              e.getMessage());
          continue;
        }
      }
      record(result, DesiredCrd.KIND, DesiredCrd.API_VERSION, healing,
          healing ? revisionOf(applied.inventory, DesiredCrd.KIND, null, result.name(),
              applied.revision) : applied.revision, applied);
    }
  }

  private void applyPolicies(List<DesiredPolicy> desired, SyncOptions options, Applied applied,
      boolean healing) {
    PolicyImporter.Report report = importer.apply(desired, options.dryRun(), true);
    for (PolicyImporter.Failure failure : report.failures()) {
      DesiredPolicy policy = failure.policy();
      applied.failures.add(new SyncFailure(policy.source(),
          InventoryPruner.key(POLICY_KIND, policy.namespace(), policy.name()),
          failure.message()));
      logObject(LOG.atWarn(), InventoryPruner.key(POLICY_KIND, policy.namespace(),
          policy.name()), PolicyTree.fileOf(policy.source()), applied.revision,
          "refused: " + failure.message());
    }
    for (ApplyResult result : report.results()) {
      String objectRevision = healing ? revisionOf(applied.inventory, POLICY_KIND,
          result.namespace(), result.name(), applied.revision) : applied.revision;
      record(result, POLICY_KIND, ApiGroup.GROUP + "/v1", healing, objectRevision, applied);
    }
  }

  /**
   * Re-applies the policies whose live object drifted from the tree; one list of the cluster's
   * policies tells which, so a heal of objects that all match costs one request, not two per
   * object.
   */
  private void healPolicies(List<DesiredPolicy> unchanged, SyncOptions options,
      Applied applied) {
    DriftCheck live;
    try {
      live = DriftCheck.list(cluster);
    } catch (ClusterRequestException e) {
      applied.failures.add(new SyncFailure(source.path(), "self-heal", e.getMessage()));
      LOG.atWarn().addKeyValue("revision", abbreviate(applied.revision))
          .log("self-heal skipped: {}", e.getMessage());
      return;
    }
    applyPolicies(live.drifted(unchanged), options, applied, true);
  }

  /**
   * The ValidatingAdmissionPolicies and bindings of every policy of {@code tree}, or null
   * without {@code --vap}; translated once per tree.
   */
  private Exports exports(PolicyTree tree) {
    if (vaps == null) {
      return null;
    }
    if (exports != null && exports.tree() == tree) {
      return exports;
    }
    Map<String, List<VapTranslation.DesiredVap>> byPolicy = new LinkedHashMap<>();
    List<SyncFailure> failures = new ArrayList<>();
    for (DesiredPolicy policy : tree.policies()) {
      String key = InventoryPruner.key(POLICY_KIND, policy.namespace(), policy.name());
      try {
        byPolicy.put(key, vaps.of(policy));
      } catch (EngineException e) {
        failures.add(new SyncFailure(policy.source(), key, e.getMessage()));
      }
    }
    exports = new Exports(tree, byPolicy, failures);
    return exports;
  }

  /** What {@code --vap} adds to a tree's desired state, per policy. */
  private record Exports(PolicyTree tree, Map<String, List<VapTranslation.DesiredVap>> byPolicy,
      List<SyncFailure> failures) {
    Set<String> keys() {
      Set<String> keys = new HashSet<>();
      byPolicy.values().forEach(list -> list.forEach(vap -> keys.add(vap.key())));
      return keys;
    }

    Set<String> untranslatedFiles() {
      Set<String> files = new HashSet<>();
      failures.forEach(f -> files.add(PolicyTree.fileOf(f.source())));
      return files;
    }

    /** The objects of {@code policies}, but for those the cluster refused this round. */
    List<VapTranslation.DesiredVap> of(List<DesiredPolicy> policies, Applied applied) {
      Set<String> refused = new HashSet<>();
      applied.failures.forEach(f -> refused.add(f.object()));
      List<VapTranslation.DesiredVap> objects = new ArrayList<>();
      for (DesiredPolicy policy : policies) {
        String key = InventoryPruner.key(POLICY_KIND, policy.namespace(), policy.name());
        if (!refused.contains(key)) {
          objects.addAll(byPolicy.getOrDefault(key, List.of()));
        }
      }
      return objects;
    }
  }

  private void applyVaps(List<VapTranslation.DesiredVap> desired, SyncOptions options,
      Applied applied, boolean healing) {
    for (VapTranslation.DesiredVap vap : desired) {
      String revision = healing ? revisionOf(applied.inventory, vap.kind(), null, vap.name(),
          applied.revision) : applied.revision;
      ServerSideApplier applier = VapExporter.POLICY_KIND.equals(vap.kind()) ? vapApplier
          : bindingApplier;
      try {
        ApplyResult result = applier.apply(healing ? withRevision(vap.object(), revision)
            : vap.object(), null, vap.source(), options.dryRun(), true);
        record(result, vap.kind(), VapExporter.API_VERSION, healing, revision, applied);
      } catch (ClusterRequestException e) {
        applied.failures.add(new SyncFailure(vap.source(), vap.key(), e.getMessage()));
        logObject(LOG.atWarn(), vap.key(), PolicyTree.fileOf(vap.source()), applied.revision,
            "refused: " + e.getMessage());
      }
    }
  }

  /**
   * Re-applies the exported objects of unchanged policies whose live object is missing or no
   * longer holds what the exporter gives it (a hand edit, a delete, a kube-devops upgrade that
   * translates differently): one list of each kind, as {@link DriftCheck} does for policies.
   */
  private void healVaps(List<VapTranslation.DesiredVap> unchanged, SyncOptions options,
      Applied applied) {
    Map<String, Map<String, Object>> live = new HashMap<>();
    try {
      for (var resource : List.of(ApiResources.VALIDATING_ADMISSION_POLICY,
          ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)) {
        cluster.request("listing " + resource.getKind() + "s for a self-heal", () -> {
          cluster.client().genericKubernetesResources(resource)
              .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC).list().getItems()
              .forEach(object -> live.put(InventoryPruner.key(resource.getKind(), null,
                  object.getMetadata().getName()), ServerFields.tree(object)));
          return null;
        });
      }
    } catch (ClusterRequestException e) {
      applied.failures.add(new SyncFailure(source.path(), "self-heal", e.getMessage()));
      LOG.atWarn().addKeyValue("revision", abbreviate(applied.revision))
          .log("self-heal of ValidatingAdmissionPolicies skipped: {}", e.getMessage());
      return;
    }
    List<VapTranslation.DesiredVap> drifted = new ArrayList<>();
    for (VapTranslation.DesiredVap vap : unchanged) {
      Map<String, Object> object = live.get(vap.key());
      Map<String, Object> desired = ServerFields.tree(withRevision(vap.object(),
          revisionOf(applied.inventory, vap.kind(), null, vap.name(), applied.revision)));
      if (object == null || !DriftCheck.covers(object, desired)) {
        drifted.add(vap);
      }
    }
    applyVaps(drifted, options, applied, true);
  }

  /** Reports, logs, records in the inventory and tells the object's Events what was applied. */
  private void record(ApplyResult result, String kind, String apiVersion, boolean healing,
      String objectRevision, Applied applied) {
    boolean changed = result.action() != ApplyAction.UNCHANGED;
    String from = PolicyTree.fileOf(result.source()) + " at " + abbreviate(objectRevision);
    if (healing) {
      if (!changed) {
        // re-applied unchanged: the usual case, and not worth a line
        recordInventory(result, kind, objectRevision, applied);
        return;
      }
      applied.healed.add(result);
      String what = result.action() == ApplyAction.CREATED ? "deleted" : "changed";
      logObject(LOG.atWarn(), InventoryPruner.key(kind, result.namespace(),
          result.name()), PolicyTree.fileOf(result.source()), objectRevision,
          what + " in the cluster, not in Git: " + (result.action() == ApplyAction.CREATED
              ? "recreated" : "re-applied") + (result.dryRun() ? " (dry run)" : ""));
      event(result, kind, apiVersion, EventRecorder.Type.Warning, EventReason.DriftCorrected,
          what + " outside Git; " + (result.action() == ApplyAction.CREATED ? "recreated"
              : "re-applied") + " from " + from);
    } else {
      applied.results.add(result);
      logObject(LOG.atInfo(), InventoryPruner.key(kind, result.namespace(),
          result.name()), PolicyTree.fileOf(result.source()), objectRevision,
          result.action().id() + (result.dryRun() ? " (server dry run)" : ""));
      if (changed && !applied.full) {
        event(result, kind, apiVersion, EventRecorder.Type.Normal, EventReason.Synced,
            result.action().id() + " from " + from);
      }
    }
    recordInventory(result, kind, objectRevision, applied);
  }

  private static void recordInventory(ApplyResult result, String inventoryKind,
      String objectRevision, Applied applied) {
    if (!result.dryRun()) {
      InventoryEntry entry = new InventoryEntry(inventoryKind, result.namespace(),
          result.name(), result.uid(), PolicyTree.fileOf(result.source()), objectRevision);
      applied.inventory.put(entry.key(), entry);
    }
  }

  private void event(ApplyResult result, String kind, String apiVersion,
      EventRecorder.Type type, EventReason reason, String message) {
    if (events == null || result.dryRun() || result.namespace() == null
        && !DesiredCrd.KIND.equals(kind)) {
      return;
    }
    events.record(reference(kind, apiVersion, result.namespace(), result.name(), result.uid()),
        type, reason, "Apply", message);
  }

  private static GenericKubernetesResource reference(String kind, String apiVersion,
      String namespace, String name, String uid) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion).withKind(kind)
        .withNewMetadata().withNamespace(namespace).withName(name).withUid(uid).endMetadata()
        .build();
  }

  /** The tree's CRDs the round does not apply anyway, with their last applied revision. */
  private static List<DesiredCrd> unchangedCrds(List<DesiredCrd> all, List<DesiredCrd> changed,
      Map<String, InventoryEntry> inventory, String head) {
    Set<String> names = new HashSet<>();
    changed.forEach(crd -> names.add(crd.name()));
    return all.stream().filter(crd -> !names.contains(crd.name()))
        .map(crd -> new DesiredCrd(crd.source(), crd.name(), withRevision(crd.object(),
            revisionOf(inventory, DesiredCrd.KIND, null, crd.name(), head))))
        .toList();
  }

  /**
   * The tree's policies that the round does not apply anyway, each carrying the revision it was
   * last applied from: a heal re-applies content, and must not rewrite every object's
   * source-revision annotation when only one file changed.
   */
  private static List<DesiredPolicy> unchangedPolicies(List<DesiredPolicy> all,
      List<DesiredPolicy> changed, Map<String, InventoryEntry> inventory, String head) {
    Set<String> keys = new HashSet<>();
    changed.forEach(p -> keys.add(InventoryPruner.key(POLICY_KIND, p.namespace(), p.name())));
    List<DesiredPolicy> rest = new ArrayList<>();
    for (DesiredPolicy policy : all) {
      if (keys.contains(InventoryPruner.key(POLICY_KIND, policy.namespace(), policy.name()))) {
        continue;
      }
      String kept = revisionOf(inventory, POLICY_KIND, policy.namespace(), policy.name(), head);
      rest.add(new DesiredPolicy(policy.source(), policy.namespace(), policy.name(),
          withRevision(policy.object(), kept)));
    }
    return rest;
  }

  private static GenericKubernetesResource withRevision(GenericKubernetesResource object,
      String revision) {
    GenericKubernetesResource copy = Serialization.clone(object);
    copy.getMetadata().getAnnotations().put(Annotations.SOURCE_REVISION, revision);
    return copy;
  }

  private static String revisionOf(Map<String, InventoryEntry> inventory, String kind,
      String namespace, String name, String head) {
    InventoryEntry entry = inventory.get(InventoryPruner.key(kind, namespace, name));
    return entry != null && entry.revision() != null ? entry.revision() : head;
  }

  /** One line about one object: the message, then the object, its file and the commit. */
  private static void logObject(LoggingEventBuilder at, String object, String file,
      String revision, String message) {
    at.addKeyValue("object", object).addKeyValue("source", file)
        .addKeyValue("revision", abbreviate(revision)).log(message);
  }

  private static String abbreviate(String revision) {
    return revision.substring(0, Math.min(12, revision.length()));
  }
}
