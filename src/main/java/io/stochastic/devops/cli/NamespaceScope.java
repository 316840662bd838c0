package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ClusterSession;
import picocli.CommandLine.Option;

/** {@code -n NS} or {@code -A}, as kubectl takes them, for the commands that read a cluster. */
final class NamespaceScope {
  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "The namespace (default: the context's).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
  boolean allNamespaces;

  /** Refuses both at once; call before talking to the cluster. */
  void validate() {
    if (allNamespaces && namespace != null) {
      throw new UserException("--namespace and --all-namespaces cannot be combined");
    }
  }

  /** The namespace to read, or null for every namespace. */
  String resolve(ClusterSession session) {
    return allNamespaces ? null : namespace != null ? namespace : session.defaultNamespace();
  }
}
