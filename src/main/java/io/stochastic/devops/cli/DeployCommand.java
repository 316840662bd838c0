package io.stochastic.devops.cli;

import io.stochastic.devops.deploy.ChartManifests;
import io.stochastic.devops.deploy.ChartManifests.Manifest;
import io.stochastic.devops.deploy.ChartManifests.Selection;
import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.deploy.RbacManifests;
import io.stochastic.devops.deploy.RbacModel;
import io.stochastic.devops.deploy.RbacModel.ComponentRbac;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kube-devops deploy generate-all | generate-deployments | generate-rbac}: the manifests
 * that run kube-devops (docs/deploy.md, docs/install.md).
 */
@Command(name = "deploy", description = "Print the manifests that run kube-devops's components "
    + "in a cluster.",
    subcommands = {DeployCommand.GenerateAll.class, DeployCommand.GenerateDeployments.class,
        DeployCommand.GenerateRbac.class})
final class DeployCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "a subcommand is required: generate-all, generate-deployments or generate-rbac");
  }

  /** {@code -n} and {@code -o} of the commands that print the chart's objects. */
  abstract static class ChartObjects implements Callable<Integer> {
    /** {@code -o} values. */
    enum Format { yaml, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
        defaultValue = RbacManifests.DEFAULT_NAMESPACE,
        description = "The release namespace: the components' (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
        description = "yaml (multi-document, the chart's comments kept) or json (a v1 List) "
            + "(default: ${DEFAULT-VALUE}).")
    String output;

    abstract Selection selection();

    @Override
    public Integer call() {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      if (namespace.isBlank()) {
        throw new UserException("--namespace must not be empty");
      }
      ChartManifests chart = new ChartManifests(namespace);
      List<Manifest> manifests = chart.manifests(selection());
      PrintWriter out = spec.commandLine().getOut();
      out.print(format == Format.json ? ChartManifests.json(manifests)
          : chart.yaml(manifests, spec.qualifiedName()
              + (namespace.equals(RbacManifests.DEFAULT_NAMESPACE) ? "" : " -n " + namespace)));
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "generate-all", description = {"Print every object of a kube-devops install: "
      + "the CRDs, each component's ServiceAccount and least-privilege RBAC, Deployments, "
      + "PodDisruptionBudgets, Services, NetworkPolicies, PriorityClasses, the auditor's "
      + "CronJob, the webhook's certificate Secret and its Validating/Mutating configurations. "
      + "They are the Helm chart helm/kube-devops rendered in-process with its default values "
      + "(release kube-devops): what helm install creates, for a cluster without Helm.", ""},
      footer = {"", "Examples:",
          "  kubectl create namespace kube-devops",
          "  kube-devops deploy generate-all | kubectl apply --server-side -f -",
          "  kube-devops deploy generate-all -n platform -o json > kube-devops.json"})
  static final class GenerateAll extends ChartObjects {
    @Override
    Selection selection() {
      return Selection.ALL;
    }
  }

  @Command(name = "generate-deployments", description = {"Print the objects that run "
      + "kube-devops's components without their RBAC and the CRDs (generate-rbac and crd "
      + "generate print those): Deployments, PodDisruptionBudgets, Services, NetworkPolicies, "
      + "PriorityClasses, the auditor's CronJob, the webhook's certificate Secret and "
      + "configurations, as the Helm chart helm/kube-devops renders them with its default "
      + "values.", ""},
      footer = {"", "Examples:",
          "  kube-devops deploy generate-deployments | kubectl apply --server-side -f -"})
  static final class GenerateDeployments extends ChartObjects {
    @Override
    Selection selection() {
      return Selection.DEPLOYMENTS;
    }
  }

  @Command(name = "generate-rbac", description = {"Print the least-privilege RBAC of a "
      + "component: its ServiceAccount, a ClusterRole and ClusterRoleBinding for what it does "
      + "in every namespace, a Role and RoleBinding for its Lease and state in its own "
      + "namespace, all named kube-devops-COMPONENT. Each rule is commented with the code that "
      + "needs it; the resources the operator watches and the auditor lists follow from the "
      + "check catalog.", ""},
      footer = {"", "Examples:",
          "  kube-devops deploy generate-rbac --component operator | kubectl apply -f -",
          "  kube-devops deploy generate-rbac -n platform -o json"})
  static final class GenerateRbac implements Callable<Integer> {
    /** {@code -o} values. */
    enum Format { yaml, json }

    private final Application application;
    @Spec
    CommandSpec spec;

    @Option(names = "--component", paramLabel = "NAME", defaultValue = "all",
        description = "operator, watch, sync, auditor, webhook or all (default: ${DEFAULT-VALUE}).")
    String component;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
        defaultValue = RbacManifests.DEFAULT_NAMESPACE,
        description = "The components' namespace: their accounts, Leases and Roles "
            + "(default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
        description = "yaml (multi-document, commented) or json (a v1 List) (default: "
            + "${DEFAULT-VALUE}).")
    String output;

    GenerateRbac(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      if (namespace.isBlank()) {
        throw new UserException("--namespace must not be empty");
      }
      RbacModel model = new RbacModel(application.catalog().definitions());
      List<ComponentRbac> selected = new ArrayList<>();
      if (component.equals("all")) {
        selected.addAll(model.all());
      } else {
        List<String> names = new ArrayList<>();
        for (Component c : Component.values()) {
          names.add(c.id());
        }
        names.add("all");
        selected.add(model.of(parse(names)));
      }
      RbacManifests manifests = new RbacManifests(namespace, releaseVersion());
      PrintWriter out = spec.commandLine().getOut();
      out.print(format == Format.json ? manifests.json(selected)
          : manifests.yaml(selected, component));
      out.flush();
      return ExitCode.OK;
    }

    private Component parse(List<String> names) {
      for (Component c : Component.values()) {
        if (c.id().equals(component)) {
          return c;
        }
      }
      throw OutputFormat.invalid(component, "--component", names);
    }

    /** The release this build belongs to: a snapshot labels its objects with the next release. */
    private String releaseVersion() {
      return application.buildInfo().version().replace("-SNAPSHOT", "");
    }
  }
}
