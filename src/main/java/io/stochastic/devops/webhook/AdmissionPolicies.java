package io.stochastic.devops.webhook;

import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyLookup;
import io.stochastic.devops.engine.policy.PolicyRef;
import java.util.Optional;

/**
 * The policies admission judges by: a {@link PolicyLookup} (the cluster's DevOpsPolicies, kept
 * current by an informer) with the runtime checks taken out — an object being admitted has no
 * status yet, so a restart count or a Pending duration says nothing about it — and, for a
 * namespace without a DevOpsPolicy, the default bundle or nothing.
 */
public final class AdmissionPolicies {
  private final NamespacePolicies lookup;
  private final boolean judgeUngoverned;

  /**
   * @param judgeUngoverned whether namespaces without a DevOpsPolicy are judged by the lookup's
   *     fallback (the default bundle) or allowed without review ({@code --default-bundle none})
   */
  public AdmissionPolicies(NamespacePolicies lookup, boolean judgeUngoverned) {
    this.lookup = lookup.map(AdmissionPolicies::withoutRuntimeChecks);
    this.judgeUngoverned = judgeUngoverned;
  }

  /** The policy of {@code namespace}, or empty when its objects are admitted unjudged. */
  public Optional<EffectivePolicy> policyFor(String namespace) {
    if (!judgeUngoverned && lookup.governing(namespace).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(lookup.policyFor(namespace));
  }

  /** The DevOpsPolicy governing {@code namespace}, for messages; empty where the default applies. */
  public Optional<PolicyRef> governing(String namespace) {
    return lookup.governing(namespace);
  }

  /** {@code policy} without the checks of category runtime (they read pod status). */
  static EffectivePolicy withoutRuntimeChecks(EffectivePolicy policy) {
    return new EffectivePolicy(policy.name(), policy.bundle(), policy.enforce(),
        policy.denySeverity(),
        policy.checks().stream()
            .filter(c -> c.check().definition().category() != Category.RUNTIME).toList(),
        policy.exemptions(), policy.remediation(), policy.warnings(), policy.workloadKinds());
  }
}
