package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.check.CheckDefinition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The effective policy of each namespace: the namespace's own DevOpsPolicy where it has one,
 * the fallback (a bundle, or the one policy of {@code --policy}) everywhere else.
 */
public final class NamespacePolicies implements Function<String, EffectivePolicy> {
  private final EffectivePolicy fallback;
  private final Map<String, EffectivePolicy> byNamespace;

  public NamespacePolicies(EffectivePolicy fallback, Map<String, EffectivePolicy> byNamespace) {
    this.fallback = fallback;
    this.byNamespace = Map.copyOf(byNamespace);
  }

  public static NamespacePolicies single(EffectivePolicy policy) {
    return new NamespacePolicies(policy, Map.of());
  }

  @Override
  public EffectivePolicy apply(String namespace) {
    return namespace == null ? fallback : byNamespace.getOrDefault(namespace, fallback);
  }

  public EffectivePolicy fallback() {
    return fallback;
  }

  public Map<String, EffectivePolicy> byNamespace() {
    return new TreeMap<>(byNamespace);
  }

  /** How reports name the policies in force. */
  public String describe() {
    if (byNamespace.isEmpty()) {
      return fallback.name();
    }
    return byNamespace.size() + " namespace " + (byNamespace.size() == 1 ? "policy" : "policies")
        + ", elsewhere " + fallback.name();
  }

  /** Every check any of the policies can report, by id (for report metadata). */
  public Map<String, CheckDefinition> checkDefinitions() {
    Map<String, CheckDefinition> definitions = new LinkedHashMap<>();
    Stream.concat(Stream.of(fallback), byNamespace.values().stream())
        .flatMap(p -> p.checks().stream())
        .forEach(c -> definitions.putIfAbsent(c.id(), c.check().definition()));
    return definitions;
  }

  public List<String> warnings() {
    return Stream.concat(Stream.of(fallback), byNamespace.values().stream())
        .map(EffectivePolicy::warnings).flatMap(Collection::stream).distinct().toList();
  }
}
