package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Comparator;
import java.util.List;

/** The DevOpsPolicies of a cluster, of one namespace or of all. */
public final class LivePolicies {
  private final ClusterSession cluster;

  public LivePolicies(ClusterSession cluster) {
    this.cluster = cluster;
  }

  /** The policies of {@code namespace} (null: every namespace), by namespace and name. */
  public List<GenericKubernetesResource> list(String namespace) {
    var operation = cluster.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY);
    List<GenericKubernetesResource> items = namespace == null
        ? cluster.request("listing DevOpsPolicies in all namespaces",
            () -> operation.inAnyNamespace().list().getItems())
        : cluster.request("listing DevOpsPolicies in namespace " + namespace,
            () -> operation.inNamespace(namespace).list().getItems());
    return items.stream()
        .sorted(Comparator.comparing((GenericKubernetesResource p) -> p.getMetadata()
            .getNamespace()).thenComparing(p -> p.getMetadata().getName()))
        .toList();
  }
}
