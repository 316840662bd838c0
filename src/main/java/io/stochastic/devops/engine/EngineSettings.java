package io.stochastic.devops.engine;

import java.util.HashSet;
import java.util.Set;

/**
 * Settings of the engine that are not part of a policy.
 *
 * @param systemNamespaces namespaces never audited, enforced or denied (default:
 *     {@link #DEFAULT_SYSTEM_NAMESPACES})
 * @param parallelism threads an audit of many objects uses (default: the processors available)
 * @param directEvaluation whether checks are evaluated by kube-devops's direct CEL evaluator
 *     where it covers them, falling back to cel-java's interpreter (default: true); false
 *     evaluates everything with cel-java, which gives the same results about four times slower
 * @param kubernetesVersion the Kubernetes version the objects are judged for, which checks read
 *     as {@code kubernetesVersion} (deprecated and removed APIs); default
 *     {@link KubernetesVersion#DEFAULT}. The caller says which: a flag, the API server's
 *     {@code /version}
 */
public record EngineSettings(Set<String> systemNamespaces, int parallelism,
    boolean directEvaluation, KubernetesVersion kubernetesVersion) {
  public static final Set<String> DEFAULT_SYSTEM_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease", "cert-manager");

  public static final EngineSettings DEFAULT = new EngineSettings(DEFAULT_SYSTEM_NAMESPACES,
      Runtime.getRuntime().availableProcessors(), true, KubernetesVersion.DEFAULT);

  public EngineSettings {
    systemNamespaces = Set.copyOf(systemNamespaces);
    java.util.Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
  }

  public EngineSettings(Set<String> systemNamespaces) {
    this(systemNamespaces, Runtime.getRuntime().availableProcessors(), true,
        KubernetesVersion.DEFAULT);
  }

  public EngineSettings withParallelism(int threads) {
    return new EngineSettings(systemNamespaces, threads, directEvaluation, kubernetesVersion);
  }

  public EngineSettings withDirectEvaluation(boolean direct) {
    return new EngineSettings(systemNamespaces, parallelism, direct, kubernetesVersion);
  }

  public EngineSettings withKubernetesVersion(KubernetesVersion version) {
    return new EngineSettings(systemNamespaces, parallelism, directEvaluation, version);
  }

  /** The defaults plus extra system namespaces (a deployment's configurable list). */
  public static EngineSettings withExtraSystemNamespaces(Set<String> extra) {
    Set<String> all = new HashSet<>(DEFAULT_SYSTEM_NAMESPACES);
    all.addAll(extra);
    return new EngineSettings(all, DEFAULT.parallelism(), true, KubernetesVersion.DEFAULT);
  }
}
