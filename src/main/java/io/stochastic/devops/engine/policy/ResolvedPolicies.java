package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.input.KubeObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved policies, cached by (uid, generation): the API server bumps a DevOpsPolicy's
 * generation on every spec change, so a long-running component (the operator, the webhook)
 * resolves — and compiles the custom checks of — each version of a policy once. Objects without a
 * uid (read from files) are resolved each time they are asked for, which is once per command.
 */
public final class ResolvedPolicies {
  /** More distinct versions than this are not worth keeping: start over. */
  private static final int MAX_ENTRIES = 4096;

  private final PolicyResolver resolver;
  private final Map<String, EffectivePolicy> byVersion = new ConcurrentHashMap<>();

  public ResolvedPolicies(PolicyResolver resolver) {
    this.resolver = resolver;
  }

  public PolicyResolver resolver() {
    return resolver;
  }

  /** The effective policy of a DevOpsPolicy object; {@code ref} says which one it is. */
  public EffectivePolicy resolve(KubeObject policy, PolicyRef ref) {
    String source = ref.displayName();
    if (ref.uid().isEmpty()) {
      return resolver.resolve(PolicyDocuments.fromTree(policy.source(), policy.content()), source);
    }
    String key = ref.uid() + "@" + ref.generation();
    EffectivePolicy cached = byVersion.get(key);
    if (cached != null) {
      return cached;
    }
    if (byVersion.size() >= MAX_ENTRIES) {
      byVersion.clear();
    }
    EffectivePolicy resolved =
        resolver.resolve(PolicyDocuments.fromTree(policy.source(), policy.content()), source);
    byVersion.put(key, resolved);
    return resolved;
  }

  /** How many policy versions are cached (for tests and metrics). */
  public int size() {
    return byVersion.size();
  }
}
