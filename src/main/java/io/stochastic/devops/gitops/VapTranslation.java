package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.kube.DesiredPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code sync --vap} adds to the desired state: for one DevOpsPolicy of the tree, the
 * ValidatingAdmissionPolicies and bindings {@link VapExporter} makes of its exportable checks
 * (named {@code kube-devops-<namespace>-<policy>-<check>}, bound to the policy's namespace, Deny
 * at or above its denySeverity), relabelled as the sync's and annotated with the policy's file
 * and revision, so that they are applied, inventoried and pruned like the policy itself.
 */
public final class VapTranslation {
  private final PolicyResolver resolver;
  private final VapExporter exporter;

  public VapTranslation(PolicyResolver resolver, VapExporter exporter) {
    this.resolver = resolver;
    this.exporter = exporter;
  }

  /**
   * One exported object.
   *
   * @param source the policy's {@code file#doc}
   * @param kind {@link VapExporter#POLICY_KIND} or {@link VapExporter#BINDING_KIND}
   */
  public record DesiredVap(String source, String kind, String name,
      GenericKubernetesResource object) {
    String key() {
      return InventoryPruner.key(kind, null, name);
    }
  }

  /**
   * The objects of {@code policy}'s exportable checks, in the order to apply them (each policy
   * before its binding).
   *
   * @throws EngineException the policy does not resolve (lint resolves it first, so rarely)
   */
  @SuppressWarnings("unchecked")
  public List<DesiredVap> of(DesiredPolicy policy) {
    Map<String, Object> content = Serialization.jsonMapper().convertValue(policy.object(),
        Map.class);
    EffectivePolicy effective = resolver.resolve(
        PolicyDocuments.fromTree(policy.source(), content), policy.source());
    Map<String, String> marks = policy.object().getMetadata().getAnnotations();
    VapExporter.Export export = exporter.export(effective,
        policy.namespace() + "-" + policy.name(), policy.namespace(), VapExporter.Action.DENY);
    List<DesiredVap> objects = new ArrayList<>();
    for (Map<String, Object> object : export.objects()) {
      Map<String, Object> copy = new LinkedHashMap<>(object);
      Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) copy.get(
          "metadata"));
      Map<String, Object> labels = new LinkedHashMap<>((Map<String, Object>) metadata.get(
          "labels"));
      labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC);
      Map<String, Object> annotations = metadata.get("annotations") instanceof Map<?, ?> a
          ? new LinkedHashMap<>((Map<String, Object>) a) : new LinkedHashMap<>();
      if (marks != null) {
        for (String mark : List.of(Annotations.SOURCE_PATH, Annotations.SOURCE_REVISION)) {
          if (marks.get(mark) != null) {
            annotations.put(mark, marks.get(mark));
          }
        }
      }
      metadata.put("labels", labels);
      metadata.put("annotations", annotations);
      copy.put("metadata", metadata);
      objects.add(new DesiredVap(policy.source(), (String) copy.get("kind"),
          (String) metadata.get("name"),
          Serialization.jsonMapper().convertValue(copy, GenericKubernetesResource.class)));
    }
    return objects;
  }
}
