package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.kube.ClusterResource;
import org.junit.jupiter.api.Test;

class DevOpsPolicyReconcilerTest {
  /**
   * What the informers watch — and so what docs/operator.md's RBAC grants list and watch on:
   * pods, every workload kind and the namespaced kinds the catalog's checks read; no
   * cluster-scoped kind.
   */
  @Test
  void watchesPodsTheWorkloadKindsAndTheNamespacedKindsTheCatalogReads() {
    var watched = DevOpsPolicyReconciler.resourcesFor(TestUtils.catalog().definitions());

    assertThat(watched).map(ClusterResource::displayType).containsExactlyInAnyOrder(
        "pods", "replicationcontrollers", "deployments.apps", "statefulsets.apps",
        "daemonsets.apps", "replicasets.apps", "jobs.batch", "cronjobs.batch", "configmaps",
        "serviceaccounts", "services", "horizontalpodautoscalers.autoscaling",
        "poddisruptionbudgets.policy",
        "networkpolicies.networking.k8s.io", "ingresses.networking.k8s.io",
        "roles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io");
  }
}
