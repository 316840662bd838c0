package io.stochastic.devops.cli;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.stochastic.devops.kube.ClientFactory;
import java.io.File;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kube-devops check}: what this machine offers kube-devops. Informative only: a missing
 * kubeconfig or an unreachable cluster is reported, never an error.
 */
@Command(name = "check",
    description = {"Report the Java runtime, the kubeconfig and its contexts, and whether the "
        + "current cluster answers (and has the kube-devops CRDs). Never fails for want of a "
        + "cluster: exit code 0 whatever it finds."})
final class EnvironmentCheckCommand implements Runnable {
  static final String[] CRDS = {"devopspolicies.devops.stochastic.io",
      "policyauditresults.devops.stochastic.io"};

  private final Application application;
  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "How long to wait for the cluster to answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  EnvironmentCheckCommand(Application application) {
    this.application = application;
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    BuildInfo info = application.buildInfo();
    out.println("kube-devops:     " + info.version() + " (commit " + info.commit() + ")");
    out.println("java:            " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vendor") + ")" + (Runtime.version().feature() < 17
        ? "  ! Java 17 or newer is required" : ""));
    ClientFactory clients = application.clients(cluster.kubeconfig);
    List<File> files = clients.kubeconfigFiles();
    boolean anyKubeconfig = files.stream().anyMatch(File::isFile);
    for (File file : files) {
      out.println("kubeconfig:      " + file + (file.isFile() ? "" : " (not found)"));
    }
    boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
    if (!anyKubeconfig && !inCluster) {
      out.println("contexts:        none (no kubeconfig; offline audits need none)");
      out.println("cluster:         not probed");
      out.flush();
      return;
    }
    try {
      List<String> contexts = clients.contexts();
      out.println("contexts:        " + (contexts.isEmpty() ? "none" : String.join(", ",
          contexts)));
      String probed = cluster.context != null ? cluster.context
          : clients.currentContext().orElse(inCluster ? "(in-cluster)" : "(none)");
      out.println("current context: " + probed);
      probe(out, clients);
    } catch (RuntimeException e) {
      out.println("cluster:         not probed: " + ErrorHandler.firstLine(e.getMessage()));
    }
    out.flush();
  }

  private void probe(PrintWriter out, ClientFactory clients) {
    try (KubernetesClient client = clients.probingClient(cluster.context,
        timeoutSeconds * 1000)) {
      out.println("server:          " + client.getMasterUrl());
      VersionInfo version;
      try {
        version = client.getKubernetesVersion();
      } catch (RuntimeException e) {
        out.println("cluster:         unreachable: " + ErrorHandler.firstLine(e.getMessage()));
        return;
      }
      out.println("cluster:         reachable, Kubernetes " + version.getGitVersion());
      for (String crd : CRDS) {
        String state;
        try {
          CustomResourceDefinition found = client.apiextensions().v1()
              .customResourceDefinitions().withName(crd).get();
          state = found == null ? "not installed (kube-devops crd install)" : "installed";
        } catch (RuntimeException e) {
          state = "unknown: " + ErrorHandler.firstLine(e.getMessage());
        }
        out.println("crd:             " + crd + " " + state);
      }
    }
  }
}
