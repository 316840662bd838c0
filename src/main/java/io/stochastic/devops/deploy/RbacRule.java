package io.stochastic.devops.deploy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/**
 * One RBAC rule a component needs, and why: the unit of the RBAC model. Kept as data (not as
 * YAML) so that the generator, the docs and a chart test can all read the same rules.
 *
 * @param scope where the rule is granted: cluster-wide, or in the component's own namespace
 * @param apiGroup the API group ({@code ""} for the core group)
 * @param resources resources, a subresource as {@code devopspolicies/status}
 * @param resourceNames the only objects the rule applies to; empty for every object
 * @param verbs the verbs, in the order they are listed
 * @param why one or two sentences: which code makes the requests, and why no less would do
 */
public record RbacRule(Scope scope, String apiGroup, List<String> resources,
    List<String> resourceNames, List<String> verbs, String why) {

  /** Where a rule is granted. */
  public enum Scope {
    /** A ClusterRole bound with a ClusterRoleBinding: every namespace. */
    CLUSTER,
    /** A Role in the component's namespace (its Lease, its state). */
    NAMESPACE
  }

  public RbacRule {
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    verbs = List.copyOf(verbs);
  }

  static RbacRule cluster(String apiGroup, List<String> resources, List<String> verbs,
      String why) {
    return new RbacRule(Scope.CLUSTER, apiGroup, resources, List.of(), verbs, why);
  }

  static RbacRule namespaced(String apiGroup, List<String> resources, List<String> names,
      List<String> verbs, String why) {
    return new RbacRule(Scope.NAMESPACE, apiGroup, resources, names, verbs, why);
  }

  /** The rule as a Role or ClusterRole carries it. */
  public PolicyRule policyRule() {
    PolicyRuleBuilder rule = new PolicyRuleBuilder().withApiGroups(apiGroup)
        .withResources(resources);
    if (!resourceNames.isEmpty()) {
      rule.withResourceNames(resourceNames);
    }
    return rule.withVerbs(verbs).build();
  }

  /**
   * {@code devopspolicies.devops.stochastic.io/status}, {@code pods}: as kubectl names them.
   */
  public List<String> qualifiedResources() {
    return resources.stream().map(r -> {
      if (apiGroup.isEmpty()) {
        return r;
      }
      int slash = r.indexOf('/');
      return slash < 0 ? r + "." + apiGroup
          : r.substring(0, slash) + "." + apiGroup + r.substring(slash);
    }).toList();
  }
}
