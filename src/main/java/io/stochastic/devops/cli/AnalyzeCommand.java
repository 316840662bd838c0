package io.stochastic.devops.cli;

import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.PolicyGate;
import io.stochastic.devops.kube.ClusterAudit;
import io.stochastic.devops.kube.ClusterObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.report.ReportContext;
import io.stochastic.devops.report.ReportFormat;
import io.stochastic.devops.report.ReportRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-devops analyze}: a read-only audit of a live cluster. */
@Command(name = "analyze",
    description = {
        "Audit the workloads of a live cluster (read-only): each namespace under its own "
            + "DevOpsPolicy when it has one, else the bundle. Pods run by a workload are judged "
            + "through it, their restarts and Pending time counting against it; the runtime "
            + "checks apply. Same report as 'audit', with the cluster's name.", ""},
    footer = {"", "Exit codes: 0 the gate passed; 1 the score is below --fail-below or a "
        + "finding is at or above --fail-on; 2 usage error, or the cluster could not be reached "
        + "or refused a list.",
        "", "Examples:",
        "  kube-devops analyze -A",
        "  kube-devops analyze -n shop --bundle restricted -o json",
        "  kube-devops analyze -A --context prod --fail-on critical -o sarif"})
final class AnalyzeCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;
  @Mixin
  PolicyOptions policy;
  @Mixin
  GateOptions gate;

  @Mixin
  NamespaceScope namespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      completionCandidates = AuditCommand.FormatCandidates.class,
      description = "table, json, yaml, junit, sarif, github (workflow annotations) or "
          + "markdown (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "The cluster's name in the report (default: the context's name).")
  String clusterName;

  @Option(names = "--show-passed", description = "Also list the checks that passed.")
  boolean showPassed;

  @Mixin
  EngineOptions engineOptions;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour the table: auto (a terminal, unless NO_COLOR is set), always, never.")
  String color;

  AnalyzeCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    ReportFormat format = OutputFormat.parse(ReportFormat.class, output, "--output");
    namespaces.validate();
    policy.validate();
    engineOptions.kubernetesVersion();
    boolean useColor = application.terminal().color(color);
    PolicyGate policyGate = gate.gate();
    PrintWriter err = spec.commandLine().getErr();
    var fixed = policy.fixedPolicy(application, err);
    var fallback = fixed != null ? fixed : policy.fallback(application);
    ClusterAudit.Outcome outcome;
    String ns;
    try (ClusterSession session = cluster.open(application)) {
      ns = namespaces.resolve(session);
      String name = clusterName != null ? clusterName : session.context();
      EngineSettings settings = engineOptions.engineSettings(session);
      outcome = new ClusterAudit(application.engine(settings), application.resolvedPolicies(),
          ClusterObjectSource.PAGE_SIZE).run(session, name, ns, fixed, fallback, what -> { },
          warning -> err.println("warning: " + warning));
    }
    AuditResult result = outcome.result();
    outcome.policies().warnings().forEach(w -> err.println("warning: " + w));
    if (result.subjects().isEmpty()) {
      err.println("warning: no workloads found in cluster " + outcome.cluster()
          + (ns == null ? "" : ", namespace " + ns) + "; score 100");
    }
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    ReportContext context = new ReportContext(result, outcome.policies().checkDefinitions(),
        outcome.policies().describe(), application.buildInfo().version(), showPassed,
        useColor, outcome.cluster());
    ReportRenderer.of(format).render(context, out);
    out.flush();
    return GateOptions.apply(policyGate, result.score(), result.subjects(), err);
  }
}
