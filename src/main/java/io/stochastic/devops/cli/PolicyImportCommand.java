package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyImporter;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy import FILE|DIR...}: policy files applied to a cluster. */
@Command(name = "import",
    description = {"Apply DevOpsPolicy files to the cluster with server-side apply, field "
        + "manager kube-devops-sync (the one the GitOps sync uses). The files are linted first: "
        + "nothing is applied when one has an error.",
        "A policy goes to its metadata.namespace, else to --namespace, else to the context's "
            + "namespace. Documents that are not policies are skipped.", ""},
    footer = {"", "Exit codes: 0 applied (or nothing to change); 2 usage error, unreadable or "
        + "invalid files, a policy the cluster refused, or the cluster could not be reached.",
        "", "Examples:",
        "  kube-devops policy import policies/namespaces/ --dry-run",
        "  kube-devops policy import policies/namespaces/shop/policy.yaml"})
final class PolicyImportCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;

  @Mixin
  PolicyFileOptions files;

  @Mixin
  ApplyOptions apply;

  PolicyImportCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PolicyInput input = files.readValid(application, "import", err);
    if (input.lint().policies() == 0) {
      throw new UserException("no DevOpsPolicy in " + String.join(", ", files.paths));
    }
    if (input.lint().ignored() > 0) {
      int skipped = input.lint().ignored();
      err.println("skipped " + skipped + (skipped == 1 ? " document that is not a DevOpsPolicy"
          : " documents that are not DevOpsPolicies"));
    }
    PolicyImporter.Report report;
    try (ClusterSession session = cluster.open(application)) {
      List<DesiredPolicy> policies = files.desired(input, session);
      report = new PolicyImporter(session, ObjectYaml.policies(application.policySchema()))
          .apply(policies, apply.dryRun, apply.forceConflicts);
    }
    ApplyOutput.print(report.results(), out);
    out.flush();
    report.failures().forEach(f -> err.println("error: " + f.message()));
    err.println(ApplyOutput.summary(report.results(), "policy", "policies")
        + (report.failures().isEmpty() ? "" : "; " + report.failures().size() + " refused"));
    err.flush();
    return report.failures().isEmpty() ? ExitCode.OK : ExitCode.ERROR;
  }
}
