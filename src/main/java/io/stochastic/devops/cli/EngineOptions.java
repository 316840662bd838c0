package io.stochastic.devops.cli;

import io.fabric8.kubernetes.client.VersionInfo;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.KubernetesVersion;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.ClusterSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The engine's settings, for every command that audits: {@code --system-namespace} (namespaces
 * never audited) and {@code --kubernetes-version} (the version objects are judged for).
 */
final class EngineOptions {
  @Mixin
  SystemNamespaceOptions systemNamespaces;

  @Option(names = "--kubernetes-version", paramLabel = "VERSION",
      description = "The Kubernetes version the objects are judged for (1.N or v1.N.P): "
          + "deprecatedApiVersion and removedApiVersion compare their apiVersions with it. "
          + "Default: the API server's own version when auditing a cluster, else "
          + "the version kube-devops is tested with.")
  String kubernetesVersion;

  /**
   * The engine's settings with these namespaces added to the built-in ones, for the
   * {@code --kubernetes-version} given or {@link KubernetesVersion#DEFAULT}.
   */
  EngineSettings engineSettings() {
    EngineSettings settings = systemNamespaces.engineSettings();
    KubernetesVersion version = kubernetesVersion();
    return version == null ? settings : settings.withKubernetesVersion(version);
  }

  /**
   * The settings of an audit of a cluster: without {@code --kubernetes-version}, for the
   * version its API server reports ({@code /version}); {@link KubernetesVersion#DEFAULT} when
   * the server refuses to say (a status error) or says something that is not a version. A
   * cluster that cannot be reached at all is the usual one-line error.
   */
  EngineSettings engineSettings(ClusterSession session) {
    EngineSettings settings = engineSettings();
    if (kubernetesVersion != null) {
      return settings;
    }
    VersionInfo info;
    try {
      info = session.request("reading the server version",
          () -> session.client().getKubernetesVersion());
    } catch (ClusterRequestException e) {
      return settings;
    }
    try {
      return settings.withKubernetesVersion(info == null ? KubernetesVersion.DEFAULT
          : KubernetesVersion.ofServer(info.getMajor(), info.getMinor(), info.getGitVersion()));
    } catch (IllegalArgumentException e) {
      return settings;
    }
  }

  /** The version {@code --kubernetes-version} names; null without it; a usage error if bad. */
  KubernetesVersion kubernetesVersion() {
    if (kubernetesVersion == null) {
      return null;
    }
    try {
      return KubernetesVersion.parse(kubernetesVersion);
    } catch (IllegalArgumentException e) {
      throw new UserException("--kubernetes-version: " + e.getMessage());
    }
  }
}
