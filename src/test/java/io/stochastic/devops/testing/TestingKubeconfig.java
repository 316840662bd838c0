package io.stochastic.devops.testing;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Kubeconfig files over testing namespaces: one context per map entry, named by its key, each
 * with a cluster and a user entry of the same name and the namespace as its default. Multi-cluster
 * tests map two context names to namespaces on two servers (see {@link Cluster}).
 */
public final class TestingKubeconfig {
  /** The context name of {@link TestingNamespace#kubeconfig()}. */
  public static final String DEFAULT_CONTEXT = "kube-devops-test";

  private TestingKubeconfig() {}

  public static String yaml(String currentContext, Map<String, TestingNamespace> contexts) {
    if (!contexts.containsKey(currentContext)) {
      throw new IllegalArgumentException(
          "current context " + currentContext + " is not among " + contexts.keySet());
    }
    ConfigBuilder kubeconfig = new ConfigBuilder().withApiVersion("v1").withKind("Config");
    contexts.forEach(
        (context, namespace) -> {
          Config server = Serialization.unmarshal(namespace.server().kubeconfigYaml(), Config.class);
          NamedCluster cluster = server.getClusters().get(0);
          NamedAuthInfo user = server.getUsers().get(0);
          kubeconfig
              .addNewCluster()
              .withName(context)
              .withCluster(cluster.getCluster())
              .endCluster()
              .addNewUser()
              .withName(context)
              .withUser(user.getUser())
              .endUser()
              .addNewContext()
              .withName(context)
              .withNewContext()
              .withCluster(context)
              .withUser(context)
              .withNamespace(namespace.name())
              .endContext()
              .endContext();
        });
    kubeconfig.withCurrentContext(currentContext);
    return Serialization.asYaml(kubeconfig.build());
  }

  /** Writes {@link #yaml(String, Map)} to {@code file} (replacing it) and returns the file. */
  public static Path write(Path file, String currentContext, Map<String, TestingNamespace> contexts)
      throws IOException {
    return Files.writeString(file, yaml(currentContext, contexts), StandardCharsets.UTF_8);
  }
}
