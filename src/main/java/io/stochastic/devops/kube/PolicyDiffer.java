package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.api.ApiGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Desired policies against the live ones, as {@code kubectl diff --server-side} computes it: each
 * desired policy is applied as a server-side dry run under {@code kube-devops-sync}, and the
 * answer is compared to the live object, both without server-populated fields (so defaults, and
 * fields other managers own, show only where applying would change them). Live policies that no
 * file declares are listed too: of the namespaces the files cover, or of all namespaces.
 */
public final class PolicyDiffer {
  private final PolicyImporter importer;
  private final LivePolicies live;
  private final ObjectYaml yaml;

  public PolicyDiffer(PolicyImporter importer, LivePolicies live, ObjectYaml yaml) {
    this.importer = importer;
    this.live = live;
    this.yaml = yaml;
  }

  /** How one policy differs. */
  public enum Status {
    CHANGED, CREATED, UNCHANGED, ABSENT;

    /** What a server-side dry run's action says of the object. */
    public static Status of(ApplyAction action) {
      return switch (action) {
        case CREATED -> CREATED;
        case CONFIGURED -> CHANGED;
        case UNCHANGED -> UNCHANGED;
      };
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One object compared: a DevOpsPolicy, or (with {@code --vap}) a ValidatingAdmissionPolicy or
   * binding exported from one.
   *
   * @param namespace null for a cluster-scoped object
   * @param source the file that declares it; null for one absent from the files
   * @param diff the unified diff from live to desired; empty when unchanged
   */
  public record Difference(String kind, String namespace, String name, String source,
      Status status, String diff) {}

  /** Every policy compared, the refused ones, and whether anything differs. */
  public record Result(List<Difference> differences, List<PolicyImporter.Failure> failures) {
    public Result {
      differences = List.copyOf(differences);
      failures = List.copyOf(failures);
    }

    /** This result and {@code other}'s, differences and failures each in order. */
    public Result and(Result other) {
      List<Difference> all = new ArrayList<>(differences);
      all.addAll(other.differences());
      List<PolicyImporter.Failure> refused = new ArrayList<>(failures);
      refused.addAll(other.failures());
      return new Result(all, refused);
    }

    public boolean differs() {
      return differences.stream().anyMatch(d -> d.status() != Status.UNCHANGED);
    }

    public long count(Status status) {
      return differences.stream().filter(d -> d.status() == status).count();
    }
  }

  /**
   * @param allNamespaces list absent policies of every namespace, not only of those the desired
   *     policies are in
   */
  public Result diff(List<DesiredPolicy> desired, boolean allNamespaces, boolean force) {
    PolicyImporter.Report applied = importer.apply(desired, true, force);
    List<Difference> differences = new ArrayList<>();
    for (ApplyResult r : applied.results()) {
      differences.add(new Difference(ApiGroup.DEVOPS_POLICY, r.namespace(), r.name(),
          r.source(), Status.of(r.action()), r.diff()));
    }
    Set<String> declared = new LinkedHashSet<>();
    Set<String> namespaces = new LinkedHashSet<>();
    for (DesiredPolicy p : desired) {
      declared.add(p.namespace() + "/" + p.name());
      namespaces.add(p.namespace());
    }
    List<GenericKubernetesResource> candidates = new ArrayList<>();
    if (allNamespaces) {
      candidates.addAll(live.list(null));
    } else {
      namespaces.forEach(ns -> candidates.addAll(live.list(ns)));
    }
    for (GenericKubernetesResource policy : candidates) {
      String ns = policy.getMetadata().getNamespace();
      String name = policy.getMetadata().getName();
      if (!declared.contains(ns + "/" + name)) {
        String path = ns + "/" + name;
        differences.add(new Difference(ApiGroup.DEVOPS_POLICY, ns, name, null, Status.ABSENT,
            UnifiedDiff.of(
            "live/" + path, yaml.write(ServerFields.strip(policy)), UnifiedDiff.NONE, "")));
      }
    }
    return new Result(differences, applied.failures());
  }
}
