package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.check.CheckDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The effective policy of each namespace, wherever the policies come from: one policy file
 * ({@code audit --policy}), a policy repository ({@code audit --policies}), a cluster's
 * DevOpsPolicies ({@code analyze}, the auditor) or, later, an informer cache (operator, webhook).
 * Every entry point judges through one of these, so a namespace gets the same policy — and a
 * workload the same verdict — wherever it is judged.
 */
public interface PolicyLookup extends Function<String, EffectivePolicy> {
  /** The policy workloads of {@code namespace} are judged against (null: cluster-scoped). */
  EffectivePolicy policyFor(String namespace);

  /** The DevOpsPolicy in force in {@code namespace}; empty where the fallback applies. */
  Optional<PolicyRef> governing(String namespace);

  /** Every namespace with a DevOpsPolicy of its own, and that policy. */
  Map<String, PolicyRef> governed();

  /** The policy of namespaces without one of their own (a bundle, or {@code --policy}'s). */
  EffectivePolicy fallback();

  /** How reports name the policies in force. */
  String describe();

  /** Every check any of the policies can report, by id (for report metadata). */
  Map<String, CheckDefinition> checkDefinitions();

  /** What resolving the policies found worth a warning (unknown override ids...). */
  List<String> warnings();

  @Override
  default EffectivePolicy apply(String namespace) {
    return policyFor(namespace);
  }
}
