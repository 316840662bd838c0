package io.stochastic.devops.engine;

import java.util.HashSet;
import java.util.Set;

/**
 * Settings of the engine that are not part of a policy.
 *
 * @param systemNamespaces namespaces never audited, enforced or denied (default:
 *     {@link #DEFAULT_SYSTEM_NAMESPACES})
 */
public record EngineSettings(Set<String> systemNamespaces) {
  public static final Set<String> DEFAULT_SYSTEM_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease", "cert-manager");

  public static final EngineSettings DEFAULT = new EngineSettings(DEFAULT_SYSTEM_NAMESPACES);

  public EngineSettings {
    systemNamespaces = Set.copyOf(systemNamespaces);
  }

  /** The defaults plus extra system namespaces (a deployment's configurable list). */
  public static EngineSettings withExtraSystemNamespaces(Set<String> extra) {
    Set<String> all = new HashSet<>(DEFAULT_SYSTEM_NAMESPACES);
    all.addAll(extra);
    return new EngineSettings(all);
  }
}
