package io.stochastic.devops.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.KubeObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cluster's policies resolved once per version (uid and generation), files every time. */
class ResolvedPoliciesTest {
  private static KubeObject policy(String uid, long generation, String bundle) {
    return TestUtils.object("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop, uid: "%s", generation: %d}
        spec: {bundle: %s}
        """.formatted(uid, generation, bundle));
  }

  @Test
  void aPolicyVersionIsResolvedOnceAndANewGenerationAgain() {
    ResolvedPolicies resolved = new ResolvedPolicies(TestUtils.resolver());
    NamespacePolicies first = NamespacePolicies.of(List.of(policy("u1", 1, "baseline")),
        TestUtils.bundle("baseline"), resolved);
    NamespacePolicies again = NamespacePolicies.of(List.of(policy("u1", 1, "baseline")),
        TestUtils.bundle("baseline"), resolved);
    NamespacePolicies changed = NamespacePolicies.of(List.of(policy("u1", 2, "restricted")),
        TestUtils.bundle("baseline"), resolved);

    assertThat(again.policyFor("shop")).isSameAs(first.policyFor("shop"));
    assertThat(changed.policyFor("shop").bundle()).isEqualTo("restricted");
    assertThat(resolved.size()).isEqualTo(2);
    assertThat(first.governing("shop")).contains(new PolicyRef("shop", "shop", "u1", 1));
    assertThat(first.governing("other")).isEmpty();
    assertThat(first.policyFor("other").name()).isEqualTo("bundle baseline");
  }

  @Test
  void twoPoliciesInOneNamespaceAreResolvedTheSameWayEverywhere() {
    ResolvedPolicies resolved = new ResolvedPolicies(TestUtils.resolver());
    KubeObject b = TestUtils.object("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: b, namespace: shop, uid: ub, generation: 1}
        spec: {bundle: permissive}
        """);
    KubeObject a = TestUtils.object("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: a, namespace: shop, uid: ua, generation: 1}
        spec: {bundle: restricted}
        """);

    for (List<KubeObject> order : List.of(List.of(a, b), List.of(b, a))) {
      NamespacePolicies policies = NamespacePolicies.of(order, TestUtils.bundle("baseline"),
          resolved);
      assertThat(policies.governing("shop")).map(PolicyRef::name).contains("a");
      assertThat(policies.policyFor("shop").bundle()).isEqualTo("restricted");
    }
  }
}
