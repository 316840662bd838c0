package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.KubeObject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A {@link PolicyLookup} over a fixed set of policies: the namespace's own DevOpsPolicy where it
 * has one, the fallback (a bundle, or the one policy of {@code --policy}) everywhere else. Built
 * from policy files or from a cluster's list of DevOpsPolicies ({@link #of}).
 */
public final class NamespacePolicies implements PolicyLookup {
  private final EffectivePolicy fallback;
  private final Map<String, EffectivePolicy> byNamespace;
  private final Map<String, PolicyRef> refs;

  public NamespacePolicies(EffectivePolicy fallback, Map<String, EffectivePolicy> byNamespace) {
    this(fallback, byNamespace, Map.of());
  }

  private NamespacePolicies(EffectivePolicy fallback, Map<String, EffectivePolicy> byNamespace,
      Map<String, PolicyRef> refs) {
    this.fallback = fallback;
    this.byNamespace = Map.copyOf(byNamespace);
    this.refs = Map.copyOf(refs);
  }

  public static NamespacePolicies single(EffectivePolicy policy) {
    return new NamespacePolicies(policy, Map.of());
  }

  /**
   * The policies of {@code policies} (DevOpsPolicy objects, already linted or admitted by the
   * API server), each for the namespace it names, {@code fallback} elsewhere. Objects that name
   * no namespace (bundle definitions, templates in a policy repository) are left out.
   */
  public static NamespacePolicies of(List<KubeObject> policies, EffectivePolicy fallback,
      ResolvedPolicies resolved) {
    Map<String, EffectivePolicy> byNamespace = new LinkedHashMap<>();
    Map<String, PolicyRef> refs = new LinkedHashMap<>();
    for (KubeObject policy : policies) {
      String namespace = KubeObject.stringAt(policy.metadata(), "namespace");
      if (namespace == null || namespace.isEmpty()) {
        continue;
      }
      PolicyRef ref = ref(policy, namespace);
      PolicyRef other = refs.putIfAbsent(namespace, ref);
      if (other != null) {
        // Lint refuses a second policy in files; a cluster may still hold two (created by hand).
        // The first by name governs, so every entry point picks the same one.
        if (other.name().compareTo(ref.name()) < 0) {
          continue;
        }
        refs.put(namespace, ref);
      }
      byNamespace.put(namespace, resolved.resolve(policy, ref));
    }
    return new NamespacePolicies(fallback, byNamespace, refs);
  }

  /** These policies, each changed by {@code change} (the same namespaces and references). */
  public NamespacePolicies map(UnaryOperator<EffectivePolicy> change) {
    Map<String, EffectivePolicy> changed = new LinkedHashMap<>();
    byNamespace.forEach((namespace, policy) -> changed.put(namespace, change.apply(policy)));
    return new NamespacePolicies(change.apply(fallback), changed, refs);
  }

  private static PolicyRef ref(KubeObject policy, String namespace) {
    Object generation = policy.metadata().get("generation");
    return new PolicyRef(namespace, policy.name(),
        KubeObject.stringAt(policy.metadata(), "uid"),
        generation instanceof Number n ? n.longValue() : 0);
  }

  @Override
  public EffectivePolicy policyFor(String namespace) {
    return namespace == null ? fallback : byNamespace.getOrDefault(namespace, fallback);
  }

  @Override
  public Optional<PolicyRef> governing(String namespace) {
    return namespace == null ? Optional.empty() : Optional.ofNullable(refs.get(namespace));
  }

  @Override
  public Map<String, PolicyRef> governed() {
    return new TreeMap<>(refs);
  }

  @Override
  public EffectivePolicy fallback() {
    return fallback;
  }

  public Map<String, EffectivePolicy> byNamespace() {
    return new TreeMap<>(byNamespace);
  }

  @Override
  public String describe() {
    if (byNamespace.isEmpty()) {
      return fallback.name();
    }
    return byNamespace.size() + " namespace " + (byNamespace.size() == 1 ? "policy" : "policies")
        + ", elsewhere " + fallback.name();
  }

  @Override
  public Map<String, CheckDefinition> checkDefinitions() {
    Map<String, CheckDefinition> definitions = new LinkedHashMap<>();
    Stream.concat(Stream.of(fallback), byNamespace.values().stream())
        .flatMap(p -> p.checks().stream())
        .forEach(c -> definitions.putIfAbsent(c.id(), c.check().definition()));
    return definitions;
  }

  @Override
  public List<String> warnings() {
    return Stream.concat(Stream.of(fallback), byNamespace.values().stream())
        .map(EffectivePolicy::warnings).flatMap(Collection::stream).distinct().toList();
  }
}
