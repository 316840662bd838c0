package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.gitops.SyncState.InventoryEntry;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.ClusterSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Deletes what the sync applied and the tree no longer defines, under every safety rule of
 * docs/gitops.md: only objects of its inventory, still labelled as the sync's, with the uid it
 * recorded, not annotated {@code devops.stochastic.io/prune: disabled}, whose file is not merely
 * failing lint, and nothing when the tree defines no policy unless allowed. CRDs are never
 * deleted: deleting one deletes every object of its kind. The ValidatingAdmissionPolicies and
 * bindings of {@code --vap} are pruned by the same rules when their policy or check no longer
 * exports them (or when the sync runs without {@code --vap}).
 */
final class InventoryPruner {
  /** What a prune pass did: the deleted entries, and the kept ones with why. */
  record Outcome(List<InventoryEntry> pruned, List<String> notPruned) {}

  private final ClusterSession cluster;

  InventoryPruner(ClusterSession cluster) {
    this.cluster = cluster;
  }

  /**
   * Prunes the entries of {@code inventory} the tree no longer defines; removes from it what was
   * deleted or released.
   *
   * @param vaps the keys of the ValidatingAdmissionPolicies and bindings the tree's policies
   *     export ({@code --vap}); empty without it, so that those the sync applied are pruned
   * @param untranslated files whose policies could not be exported: their objects are kept, as
   *     those of a file failing lint
   * @param leading asked before each delete: a replica that lost the lead mid-round leaves the
   *     pruning to the new leader
   */
  Outcome prune(PolicyTree tree, Set<String> vaps, Set<String> untranslated,
      SyncOptions options, Map<String, InventoryEntry> inventory, BooleanSupplier leading) {
    Set<String> defined = tree.policies().stream()
        .map(p -> key(PolicySync.POLICY_KIND, p.namespace(), p.name()))
        .collect(Collectors.toCollection(HashSet::new));
    tree.crds().forEach(crd -> defined.add(key(DesiredCrd.KIND, null, crd.name())));
    defined.addAll(vaps);
    List<InventoryEntry> gone = inventory.values().stream()
        .filter(entry -> !defined.contains(entry.key()))
        .toList();
    List<InventoryEntry> pruned = new ArrayList<>();
    List<String> notPruned = new ArrayList<>();
    for (InventoryEntry entry : gone) {
      if (tree.invalidFiles().contains(entry.sourcePath())) {
        notPruned.add(entry.key() + ": its file " + entry.sourcePath() + " fails lint");
      } else if (untranslated.contains(entry.sourcePath())) {
        notPruned.add(entry.key() + ": the policies of " + entry.sourcePath()
            + " could not be exported as ValidatingAdmissionPolicies");
      } else if (DesiredCrd.KIND.equals(entry.kind())) {
        inventory.remove(entry.key());
        notPruned.add(entry.key() + ": CRDs are never pruned (deleting one deletes every object"
            + " of its kind); released from the inventory, delete it by hand if meant");
      } else if (!options.prune()) {
        notPruned.add(entry.key() + ": no longer in the tree (--prune deletes it)");
      } else if (tree.policies().isEmpty() && !options.allowEmpty()) {
        notPruned.add(entry.key() + ": the tree defines no policies (--allow-empty prunes)");
      } else if (!leading.getAsBoolean()) {
        notPruned.add(entry.key() + ": this replica lost the lead during the round; the new "
            + "leader prunes");
      } else {
        pruneOne(entry, options.dryRun(), inventory, pruned, notPruned);
      }
    }
    return new Outcome(pruned, notPruned);
  }

  /** The resource of an inventory kind that may be pruned (CRDs never are). */
  static ResourceDefinitionContext resourceOf(String kind) {
    if (VapExporter.POLICY_KIND.equals(kind)) {
      return ApiResources.VALIDATING_ADMISSION_POLICY;
    }
    if (VapExporter.BINDING_KIND.equals(kind)) {
      return ApiResources.VALIDATING_ADMISSION_POLICY_BINDING;
    }
    return ApiResources.DEVOPS_POLICY;
  }

  static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  private void pruneOne(InventoryEntry entry, boolean dryRun,
      Map<String, InventoryEntry> inventory, List<InventoryEntry> pruned,
      List<String> notPruned) {
    var resource = entry.namespace() == null
        ? cluster.client().genericKubernetesResources(resourceOf(entry.kind()))
            .withName(entry.name())
        : cluster.client().genericKubernetesResources(resourceOf(entry.kind()))
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
        pruned.add(entry);
      } catch (ClusterRequestException e) {
        notPruned.add(entry.key() + ": " + e.getMessage());
      }
    }
  }
}
