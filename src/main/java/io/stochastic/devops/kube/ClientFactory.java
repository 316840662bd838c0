package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Builds Kubernetes clients from a kubeconfig ({@code --kubeconfig}, else {@code KUBECONFIG},
 * else {@code ~/.kube/config}, else the in-cluster service account) and a context
 * ({@code --context}, else the current one).
 */
public final class ClientFactory {
  private final Path kubeconfig;

  /** @param kubeconfig an explicit kubeconfig file, or null for the usual lookup */
  public ClientFactory(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** The client configuration for {@code context} (null: the current context). */
  public Config config(String context) {
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw new KubeAccessException(kubeconfig + ": kubeconfig file not found");
      }
      Config config = Config.fromKubeconfig(context, kubeconfig.toFile());
      requireContext(config, context);
      return config;
    }
    Config config = Config.autoConfigure(context);
    requireContext(config, context);
    return config;
  }

  private static void requireContext(Config config, String context) {
    if (context == null) {
      return;
    }
    boolean known = config.getContexts() != null && config.getContexts().stream()
        .anyMatch(c -> context.equals(c.getName()));
    if (!known) {
      throw new KubeAccessException("context '" + context + "' not found in the kubeconfig");
    }
  }

  public KubernetesClient client(String context) {
    return new KubernetesClientBuilder().withConfig(config(context)).build();
  }

  /** A client that gives up quickly: for probing whether a cluster answers. */
  public KubernetesClient probingClient(String context, int timeoutMillis) {
    Config config = new ConfigBuilder(config(context))
        .withConnectionTimeout(timeoutMillis)
        .withRequestTimeout(timeoutMillis)
        .withRequestRetryBackoffLimit(0)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The kubeconfig files that would be read, existing or not. */
  public List<File> kubeconfigFiles() {
    if (kubeconfig != null) {
      return List.of(kubeconfig.toFile());
    }
    Collection<String> names = Config.getKubeconfigFilenames();
    List<File> files = new ArrayList<>();
    for (String name : names) {
      files.add(new File(name));
    }
    return files;
  }

  public List<String> contexts() {
    Config config = config(null);
    return config.getContexts() == null ? List.of()
        : config.getContexts().stream().map(NamedContext::getName).toList();
  }

  public Optional<String> currentContext() {
    NamedContext current = config(null).getCurrentContext();
    return current == null ? Optional.empty() : Optional.ofNullable(current.getName());
  }
}
