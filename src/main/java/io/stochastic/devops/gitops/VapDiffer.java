package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ApplyResult;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyDiffer.Difference;
import io.stochastic.devops.kube.PolicyDiffer.Result;
import io.stochastic.devops.kube.PolicyDiffer.Status;
import io.stochastic.devops.kube.PolicyImporter;
import io.stochastic.devops.kube.ServerFields;
import io.stochastic.devops.kube.ServerSideApplier;
import io.stochastic.devops.kube.UnifiedDiff;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code policy diff --vap}: the ValidatingAdmissionPolicies and bindings {@code sync --vap} would
 * apply for the files' policies ({@link VapTranslation}, the sync's own translation), each
 * applied as a server-side dry run under the sync's field manager and compared with the live
 * object, as {@link io.stochastic.devops.kube.PolicyDiffer} compares the policies. The sync's
 * exported objects that no file's policy gives any more are listed as only in the cluster: for
 * the namespaces the files cover (by the {@code kube-devops-<namespace>-} prefix of their names),
 * or all of them with {@code -A}.
 */
public final class VapDiffer {
  private final ClusterSession cluster;
  private final VapTranslation translation;
  private final ServerSideApplier policies;
  private final ServerSideApplier bindings;
  private final ObjectYaml yaml = ObjectYaml.asIs();

  public VapDiffer(ClusterSession cluster, VapTranslation translation) {
    this.cluster = cluster;
    this.translation = translation;
    this.policies = new ServerSideApplier(cluster, ApiResources.VALIDATING_ADMISSION_POLICY,
        FieldManagers.SYNC, yaml);
    this.bindings = new ServerSideApplier(cluster,
        ApiResources.VALIDATING_ADMISSION_POLICY_BINDING, FieldManagers.SYNC, yaml);
  }

  public Result diff(List<DesiredPolicy> desired, boolean allNamespaces, boolean force) {
    List<Difference> differences = new ArrayList<>();
    List<PolicyImporter.Failure> failures = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    for (DesiredPolicy policy : desired) {
      prefixes.add("kube-devops-" + policy.namespace() + "-");
      List<VapTranslation.DesiredVap> exported;
      try {
        exported = translation.of(policy);
      } catch (EngineException e) {
        failures.add(new PolicyImporter.Failure(policy, e.getMessage()));
        continue;
      }
      for (VapTranslation.DesiredVap vap : exported) {
        declared.add(vap.kind() + "/" + vap.name());
        ServerSideApplier applier = VapExporter.POLICY_KIND.equals(vap.kind()) ? policies
            : bindings;
        try {
          ApplyResult r = applier.apply(vap.object(), null, vap.source(), true, force);
          differences.add(new Difference(vap.kind(), null, vap.name(), vap.source(),
              Status.of(r.action()), r.diff()));
        } catch (ClusterRequestException e) {
          failures.add(new PolicyImporter.Failure(policy, e.getMessage()));
        }
      }
    }
    for (var resource : List.of(ApiResources.VALIDATING_ADMISSION_POLICY,
        ApiResources.VALIDATING_ADMISSION_POLICY_BINDING)) {
      List<GenericKubernetesResource> live = cluster.request(
          "listing the sync's " + resource.getKind() + "s",
          () -> cluster.client().genericKubernetesResources(resource)
              .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC).list().getItems());
      for (GenericKubernetesResource object : live) {
        String name = object.getMetadata().getName();
        boolean covered = allNamespaces || prefixes.stream().anyMatch(name::startsWith);
        if (covered && !declared.contains(resource.getKind() + "/" + name)) {
          differences.add(new Difference(resource.getKind(), null, name, null, Status.ABSENT,
              UnifiedDiff.of("live/" + name, yaml.write(ServerFields.strip(object)),
                  UnifiedDiff.NONE, "")));
        }
      }
    }
    return new Result(differences, failures);
  }
}
