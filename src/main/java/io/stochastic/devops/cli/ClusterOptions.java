package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ClusterSession;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kubeconfig} and {@code --context}, for every command that talks to a cluster. */
final class ClusterOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the "
          + "in-cluster service account).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Kubeconfig context (default: the current one).")
  String context;

  ClusterSession open(Application application) {
    return ClusterSession.open(application.clients(kubeconfig), context);
  }
}
