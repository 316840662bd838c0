package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link io.stochastic.devops.engine.policy.PolicyLookup} of a cluster: each namespace under
 * its DevOpsPolicy, the fallback bundle elsewhere. Resolved policies are cached by uid and
 * generation ({@link ResolvedPolicies}), so a long-running component resolves each version once.
 */
public final class ClusterPolicies {
  private ClusterPolicies() {}

  /**
   * Reads the DevOpsPolicies of {@code namespace} (null: all). A cluster without the CRD has no
   * policies: {@code warn} is told, and the fallback applies everywhere.
   */
  public static NamespacePolicies read(ClusterSession cluster, String clusterName,
      String namespace, EffectivePolicy fallback, ResolvedPolicies resolved,
      Consumer<String> warn) {
    List<GenericKubernetesResource> items;
    try {
      items = new LivePolicies(cluster).list(namespace);
    } catch (ClusterRequestException e) {
      if (e.code() != 404) {
        throw e;
      }
      warn.accept("cluster " + clusterName + " serves no DevOpsPolicies (the CRD is not "
          + "installed): every namespace is judged under " + fallback.name());
      return NamespacePolicies.single(fallback);
    }
    List<KubeObject> policies = new ArrayList<>(items.size());
    for (GenericKubernetesResource item : items) {
      policies.add(ObjectTrees.kubeObject(Serialization.jsonMapper().valueToTree(item),
          "cluster " + clusterName));
    }
    return NamespacePolicies.of(policies, fallback, resolved);
  }
}
