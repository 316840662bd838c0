package io.stochastic.devops.deploy;

import io.stochastic.devops.api.ApiGroup;
import io.stochastic.devops.deploy.RbacRule.Scope;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.kube.ClusterObjectSource;
import io.stochastic.devops.kube.ClusterResource;
import io.stochastic.devops.runtime.ComponentSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The least-privilege RBAC of each component, as data: every rule with the reason it is there.
 * What the code exposes is derived from it — the resources an evaluation of the catalog's checks
 * reads ({@link ClusterObjectSource#resourcesRead}), Lease names ({@link
 * ComponentSettings#leaseName(String)}) — the rest states what the component's code and its
 * libraries request, each proven by a test running the component under exactly these rules
 * ({@code OperatorRbacIT}, {@code SyncRbacIT}, {@code AuditorRbacIT}).
 */
public final class RbacModel {
  private static final String CORE = "";
  private static final String COORDINATION = "coordination.k8s.io";
  /** The ValidatingAdmissionPolicies {@code sync --vap} manages. */
  public static final String VAP_GROUP = "admissionregistration.k8s.io";
  private static final String GROUP = ApiGroup.GROUP;
  private static final String POLICIES = "devopspolicies";
  /** The sync's state ConfigMap (gitops {@code SyncStateStore.NAME}, which a test compares). */
  static final String SYNC_STATE = "kube-devops-sync-state";

  private final Collection<CheckDefinition> checks;

  /** @param checks the check catalog: what the evaluating components read follows from it */
  public RbacModel(Collection<CheckDefinition> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The rules of {@code component}, cluster-wide ones first, in a stable order. */
  public ComponentRbac of(Component component) {
    List<RbacRule> rules = switch (component) {
      case OPERATOR -> operator();
      case WATCH -> watch();
      case SYNC -> sync();
      case AUDITOR -> auditor();
      case WEBHOOK -> webhook();
    };
    return new ComponentRbac(component, rules);
  }

  public List<ComponentRbac> all() {
    return java.util.Arrays.stream(Component.values()).map(this::of).toList();
  }

  private List<RbacRule> operator() {
    List<RbacRule> rules = new ArrayList<>();
    rules.add(RbacRule.cluster(GROUP, List.of(POLICIES), List.of("get", "list", "watch", "patch"),
        "list, watch: JOSDK's informer on the policies. patch: JOSDK adds its finalizer "
            + "(devopspolicies.devops.stochastic.io/finalizer) with server-side apply and "
            + "removes it after the cleanup with a JSON patch. get: on a conflict removing the "
            + "finalizer, JOSDK reads the policy again. No update: JOSDK 5 patches, it never "
            + "replaces a policy."));
    rules.add(RbacRule.cluster(GROUP, List.of(POLICIES + "/status"), List.of("patch"),
        "The status, written with server-side apply on /status (UpdateControl.patchStatus); "
            + "only when it says something new."));
    rules.add(RbacRule.cluster(CORE, List.of("events"), List.of("create", "patch"),
        "Events on the policies (ViolationsFound, ViolationsCleared) and, in enforce mode, "
            + "on the workloads patched (WorkloadPatched, FixLeftToOwner, EnforcementRejected): "
            + "created, and a repeat within 10 minutes counted on the same Event with a merge "
            + "patch (kube.EventRecorder)."));
    rules.addAll(reads(ClusterObjectSource.namespacedResourcesRead(checks),
        List.of("list", "watch"), "Informers feeding the evaluations (a reconcile reads the "
            + "caches: no get), from the check catalog: "));
    rules.add(RbacRule.cluster("apps", List.of("deployments", "statefulsets", "daemonsets"),
        List.of("get", "patch"), "Enforcement (enforcementMode: enforce): the live workload "
            + "is read, then its remediation applied with server-side apply as "
            + "kube-devops-enforcer, a server-side dry run first (a patch as well)."));
    rules.addAll(joSdkLease(ComponentSettings.leaseName(Component.OPERATOR.id())));
    return rules;
  }

  private List<RbacRule> watch() {
    List<RbacRule> rules = new ArrayList<>();
    // the operator's informers: a namespace is scored from the same objects
    rules.addAll(reads(ClusterObjectSource.namespacedResourcesRead(checks),
        List.of("list", "watch"), "Informers on what the live scores are made of (a one-item "
            + "list of each first, for a one-line error), from the check catalog: "));
    rules.add(RbacRule.cluster(GROUP, List.of(POLICIES), List.of("list", "watch"),
        "Informer on the policies: each namespace's effective policy. Read only."));
    rules.addAll(runtimeLease(Component.WATCH));
    return rules;
  }

  /** {@code deploy/sync/sync-rbac.yaml} is generated from this; {@code SyncRbacIT} proves it. */
  private List<RbacRule> sync() {
    List<RbacRule> rules = new ArrayList<>();
    rules.add(RbacRule.cluster(GROUP, List.of(POLICIES),
        List.of("get", "list", "create", "patch", "delete"),
        "The policies, in every namespace a policy repository names. get: the live object, to "
            + "report created/configured/unchanged and, before a prune, to check its label, "
            + "uid and prune annotation. list: a self-heal round compares the tree with the "
            + "live policies in one paginated list. patch: server-side apply. create: a "
            + "server-side apply that creates the object is authorized as create too. delete: "
            + "--prune. No watch: the sync polls."));
    rules.add(RbacRule.cluster(VAP_GROUP, List.of("validatingadmissionpolicies",
        "validatingadmissionpolicybindings"), List.of("get", "list", "create", "patch", "delete"),
        "sync --vap only (the Helm chart grants it with sync.vap): the ValidatingAdmissionPolicies "
            + "and bindings exported from each policy, applied, healed and pruned as the "
            + "policies are (get, list: the self-heal's two labelled lists; patch, create: "
            + "server-side apply; delete: --prune). A strong permission: it can make the API "
            + "server deny or admit anything; drop this rule when the sync runs without --vap."));
    rules.add(RbacRule.cluster(CORE, List.of("events"), List.of("create"),
        "Events on the policies it applies, heals and prunes (Synced, DriftCorrected, Pruned), "
            + "in their namespaces. No patch: a repeat is recorded as a new Event rather than "
            + "counted on the last one, which costs an object, not a permission."));
    rules.add(RbacRule.namespaced(CORE, List.of("configmaps"), List.of(SYNC_STATE),
        List.of("get", "create", "patch"),
        "The state ConfigMap: read at the start of every round, written with server-side apply "
            + "(patch). A server-side apply that creates the object is authorized as create of "
            + "that name, so create can be limited to the name (a POST could not be). No other "
            + "ConfigMap can be read or written, and none deleted."));
    rules.addAll(runtimeLease(Component.SYNC));
    return rules;
  }

  /** {@code cronjobs/auditor-rbac.yaml} is generated from this; {@code AuditorRbacIT} proves it. */
  private List<RbacRule> auditor() {
    List<RbacRule> rules = new ArrayList<>();
    rules.addAll(reads(ClusterObjectSource.resourcesRead(checks), List.of("get", "list"),
        "Listed once per run, paginated (never watched), from the check catalog: "));
    rules.add(RbacRule.cluster(CORE, List.of("namespaces"), List.of("get", "list"),
        "To enumerate what to score, skip system namespaces, and check that a -n namespace "
            + "exists."));
    rules.add(RbacRule.cluster(GROUP, List.of(POLICIES), List.of("get", "list"),
        "Each namespace's policy (bundle, toggles, overrides, exemptions). The auditor never "
            + "changes a policy: their status belongs to the operator, their spec to the sync or "
            + "to users."));
    rules.add(RbacRule.cluster(GROUP, List.of("policyauditresults"),
        List.of("create", "list", "delete"),
        "--write-results: one PolicyAuditResult per policy per run (create; written once, "
            + "never updated); --history-limit: list a policy's results and delete the oldest."));
    rules.add(RbacRule.cluster("wgpolicyk8s.io", List.of("policyreports"),
        List.of("get", "list", "create", "update", "patch", "delete"),
        "--policy-reports: one PolicyReport per namespace, kept up to date (get, then create or "
            + "update/patch) and deleted when its namespace has nothing left to report. "
            + "Harmless where the PolicyReport CRD is not installed."));
    return rules;
  }

  private List<RbacRule> webhook() {
    return List.of(RbacRule.cluster(GROUP, List.of(POLICIES), List.of("list", "watch"),
        "The webhook's policy informer: each namespace's effective policy (bundle, "
            + "enforcementMode, admission.denySeverity, exemptions). Nothing else: the object "
            + "judged comes in the AdmissionReview, the namespaceSelector is evaluated by the "
            + "API server and system namespaces are matched by name. No Lease: every replica "
            + "serves."));
  }

  /**
   * Leader election of the shared runtime (fabric8's LeaseLock): the Lease is read, taken over,
   * renewed and released with patches, by name; created with a POST, whose name the authorizer
   * does not see.
   */
  private static List<RbacRule> runtimeLease(Component component) {
    String lease = ComponentSettings.leaseName(component.id());
    return List.of(
        RbacRule.namespaced(COORDINATION, List.of("leases"), List.of(lease),
            List.of("get", "patch"), "Leader election (fabric8's LeaseLock): the Lease is "
                + "read, taken over, renewed and released (on SIGTERM) with patches, by name. No "
                + "update: fabric8 never replaces the Lease whole."),
        leaseCreate());
  }

  /**
   * JOSDK's leader election: fabric8's LeaseLock (patches) plus {@code update}, which JOSDK
   * requires to see in its start-up SelfSubjectRulesReview and the operator uses to release.
   */
  private static List<RbacRule> joSdkLease(String lease) {
    return List.of(
        RbacRule.namespaced(COORDINATION, List.of("leases"), List.of(lease),
            List.of("get", "update", "patch"), "Leader election (JOSDK over fabric8's "
                + "LeaseLock): read, taken over and renewed with patches, by name. update: "
                + "released on SIGTERM with an update (it fails if another replica took the "
                + "Lease meanwhile); JOSDK also refuses to start unless its SelfSubjectRulesReview "
                + "shows get, create and update. Not needed with --no-leader-election."),
        leaseCreate());
  }

  private static RbacRule leaseCreate() {
    return RbacRule.namespaced(COORDINATION, List.of("leases"), List.of(), List.of("create"),
        "The Lease is created with a POST, whose name the authorizer does not see: create "
            + "cannot be limited to a name. It allows creating other Leases here, nothing more.");
  }

  /**
   * Cluster-wide read rules for {@code resources}, one per API group in the order of {@link
   * ClusterResource}, each saying what reads each resource: judged as a workload, or the checks
   * that judge it or look it up.
   */
  private List<RbacRule> reads(Collection<ClusterResource> resources, List<String> verbs,
      String purpose) {
    Map<String, List<ClusterResource>> byGroup = new LinkedHashMap<>();
    for (ClusterResource resource : ClusterResource.values()) {
      if (resources.contains(resource)) {
        byGroup.computeIfAbsent(resource.context().getGroup(), g -> new ArrayList<>())
            .add(resource);
      }
    }
    List<RbacRule> rules = new ArrayList<>();
    byGroup.forEach((group, members) -> rules.add(RbacRule.cluster(group,
        members.stream().map(ClusterResource::plural).toList(), verbs,
        purpose + readBy(members) + ".")));
    return rules;
  }

  /** {@code pods, jobs (workloads); configmaps (read by sensitiveConfigmapContent)}. */
  private String readBy(List<ClusterResource> resources) {
    List<String> parts = new ArrayList<>();
    List<String> workloads = resources.stream().filter(ClusterResource::workload)
        .map(ClusterResource::plural).toList();
    if (!workloads.isEmpty()) {
      parts.add(String.join(", ", workloads) + " (workloads)");
    }
    for (ClusterResource resource : resources) {
      if (!resource.workload()) {
        Set<String> readers = checks.stream()
            .filter(c -> c.kindsRead().contains(resource.kind())).map(CheckDefinition::id)
            .collect(Collectors.toCollection(TreeSet::new));
        parts.add(resource.plural() + " (read by " + String.join(", ", readers) + ")");
      }
    }
    return String.join("; ", parts);
  }

  /** The rules of a component by scope; bindings follow from which scopes have rules. */
  public record ComponentRbac(Component component, List<RbacRule> rules) {
    public ComponentRbac {
      rules = List.copyOf(rules);
    }

    public List<RbacRule> rules(Scope scope) {
      return rules.stream().filter(r -> r.scope() == scope).toList();
    }
  }
}
