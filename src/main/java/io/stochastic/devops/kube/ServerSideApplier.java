package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ServerSideApplicable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * Applies objects of one resource type with server-side apply under one field manager, with
 * strict field validation, optionally as a server-side dry run ({@code dryRun=All}), and says
 * what changed: the live object before and the server's answer, both without server-populated
 * fields ({@link ServerFields}), are compared and diffed.
 *
 * <p>Objects are applied as generic trees, exactly as written: applying the generated model
 * would also claim the schema defaults its classes fill in as Java field values.
 */
public final class ServerSideApplier {
  private final ClusterSession cluster;
  private final ResourceDefinitionContext resource;
  private final String fieldManager;
  private final ObjectYaml yaml;

  public ServerSideApplier(ClusterSession cluster, ResourceDefinitionContext resource,
      String fieldManager, ObjectYaml yaml) {
    this.cluster = cluster;
    this.resource = resource;
    this.fieldManager = fieldManager;
    this.yaml = yaml;
  }

  /**
   * Applies {@code desired}.
   *
   * @param namespace where a namespaced object goes (ignored for cluster-scoped resources)
   * @param source where the object came from, for the result and error messages
   * @param force take over fields another field manager owns instead of failing with a conflict
   */
  public ApplyResult apply(GenericKubernetesResource desired, String namespace, String source,
      boolean dryRun, boolean force) {
    String name = desired.getMetadata().getName();
    String ns = resource.isNamespaceScoped() ? namespace : null;
    String what = (dryRun ? "dry-run applying " : "applying ") + describe(ns, name)
        + " (" + source + ")";
    Resource<GenericKubernetesResource> target = target(ns, desired);
    GenericKubernetesResource live = cluster.request(what, () -> target.get());
    ServerSideApplicable<GenericKubernetesResource> apply = target.dryRun(dryRun)
        .fieldValidation(Validation.STRICT)
        .fieldManager(fieldManager);
    ServerSideApplicable<GenericKubernetesResource> forced = force ? apply.forceConflicts() : apply;
    GenericKubernetesResource result = cluster.request(what, forced::serverSideApply);
    return result(live, result, ns, name, source, dryRun);
  }

  private Resource<GenericKubernetesResource> target(String ns,
      GenericKubernetesResource desired) {
    var operation = cluster.client().genericKubernetesResources(resource);
    return ns == null ? operation.resource(desired) : operation.inNamespace(ns).resource(desired);
  }

  private ApplyResult result(GenericKubernetesResource live, GenericKubernetesResource result,
      String ns, String name, String source, boolean dryRun) {
    String type = ApiResources.displayType(resource);
    String uid = result.getMetadata().getUid();
    Map<String, Object> after = ServerFields.strip(result);
    String afterYaml = yaml.write(after);
    String path = (ns == null ? "" : ns + "/") + name;
    if (live == null) {
      return new ApplyResult(type, ns, name, source, ApplyAction.CREATED,
          UnifiedDiff.of(UnifiedDiff.NONE, "", "desired/" + path, afterYaml), dryRun, uid);
    }
    Map<String, Object> before = ServerFields.strip(live);
    if (before.equals(after)) {
      return new ApplyResult(type, ns, name, source, ApplyAction.UNCHANGED, "", dryRun, uid);
    }
    String diff = UnifiedDiff.of("live/" + path, yaml.write(before), "desired/" + path,
        afterYaml);
    return new ApplyResult(type, ns, name, source, ApplyAction.CONFIGURED, diff, dryRun,
        uid);
  }

  private String describe(String ns, String name) {
    return ApiResources.displayType(resource) + "/" + name
        + (ns == null ? "" : " in namespace " + ns);
  }
}
