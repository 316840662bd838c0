package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stochastic.devops.auditor.AuditRunSummary;
import io.stochastic.devops.auditor.BatchAuditor;
import io.stochastic.devops.auditor.PolicyAuditResultWriter;
import io.stochastic.devops.auditor.PushgatewayPublisher;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.kube.ClusterAudit;
import io.stochastic.devops.kube.ClusterObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kube-devops auditor}: the batch auditor (a CronJob; see docs/auditor.md). */
@Command(name = "auditor",
    description = {"The batch auditor, run by a CronJob (cronjobs/, docs/auditor.md).", ""},
    subcommands = {AuditorCommand.Run.class})
final class AuditorCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: run");
  }

  /** {@code kube-devops auditor run}. */
  @Command(name = "run",
      description = {
          "Audit the cluster once — each namespace under its DevOpsPolicy, the bundle "
              + "elsewhere — and write what was found: with --write-results one "
              + "PolicyAuditResult per DevOpsPolicy (owned by it; the newest --history-limit "
              + "kept), with --policy-reports one wgpolicyk8s.io PolicyReport per namespace "
              + "(replaced each run), with --push-gateway the scores and violations as metrics.",
          "Each output is written whatever happens to the others: a Pushgateway that is down "
              + "does not stop the results, a result that cannot be written does not stop the "
              + "metrics.", ""},
      footer = {"", "Exit codes: 0 every output written; 2 usage error, the cluster could not "
          + "be read, or an output failed (one line each on stderr).",
          "", "Examples:",
          "  kube-devops auditor run -A --cluster-name prod-eu --write-results \\",
          "      --push-gateway http://pushgateway.monitoring:9091 --policy-reports",
          "  kube-devops auditor run -n shop -o json"})
  static final class Run implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ClusterOptions cluster;

    @Mixin
    NamespaceScope namespaces;

    @Option(names = "--cluster-name", paramLabel = "NAME",
        description = "The cluster's name in results and metrics (default: the context's name, "
            + "or 'in-cluster').")
    String clusterName;

    @Option(names = "--bundle", paramLabel = "NAME",
        description = "Bundle for namespaces without a DevOpsPolicy (default: baseline).")
    String bundle;

    @Option(names = "--write-results", description = "Write a PolicyAuditResult per policy.")
    boolean writeResults;

    @Option(names = "--history-limit", paramLabel = "N", defaultValue = "10",
        description = "PolicyAuditResults kept per policy, the newest (default: "
            + "${DEFAULT-VALUE}).")
    int historyLimit;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "500",
        description = "Findings kept in a PolicyAuditResult, the most severe first; beyond, "
            + "truncated: true (default: ${DEFAULT-VALUE}).")
    int maxFindings;

    @Option(names = "--push-gateway", paramLabel = "URL",
        description = "Push the metrics to this Prometheus Pushgateway (host:port or URL).")
    String pushGateway;

    @Option(names = "--job", paramLabel = "NAME", defaultValue = PushgatewayPublisher.DEFAULT_JOB,
        description = "The Pushgateway job (default: ${DEFAULT-VALUE}); grouped by job and "
            + "cluster.")
    String job;

    @Option(names = "--policy-reports",
        description = "Write a wgpolicyk8s.io/v1alpha2 PolicyReport per namespace (the CRD "
            + "must be installed).")
    boolean policyReports;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table or json: the run's summary (default: ${DEFAULT-VALUE}).")
    String output;

    enum Format { table, json }

    Run(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() throws IOException {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      namespaces.validate();
      engineOptions.kubernetesVersion();
      if (historyLimit < 1) {
        throw new UserException("--history-limit must be at least 1, not " + historyLimit);
      }
      if (maxFindings < 0 || maxFindings > PolicyAuditResultWriter.CRD_MAX_FINDINGS) {
        throw new UserException("--max-findings must be between 0 and "
            + PolicyAuditResultWriter.CRD_MAX_FINDINGS + ", not " + maxFindings);
      }
      var fallback = PolicyOptions.bundle(application, bundle);
      PushgatewayPublisher publisher = null;
      if (pushGateway != null) {
        try {
          publisher = PushgatewayPublisher.builder(pushGateway).job(job).build();
        } catch (IllegalArgumentException e) {
          throw new UserException("--push-gateway: " + e.getMessage());
        }
      }
      PrintWriter err = spec.commandLine().getErr();
      BatchAuditor.Outcome outcome;
      try (ClusterSession session = cluster.open(application)) {
        String ns = namespaces.resolve(session);
        String name = clusterName != null ? clusterName
            : "(none)".equals(session.context()) ? "in-cluster" : session.context();
        EngineSettings settings = engineOptions.engineSettings(session);
        ClusterAudit audit = new ClusterAudit(application.engine(settings),
            application.resolvedPolicies(), ClusterObjectSource.PAGE_SIZE);
        var limits = PolicyAuditResultWriter.Limits.DEFAULT.withMaxFindings(maxFindings)
            .withHistory(historyLimit);
        outcome = new BatchAuditor(audit, application.clock(), settings.systemNamespaces()).run(session, fallback,
            new BatchAuditor.Settings(name, ns, writeResults, policyReports, limits, publisher),
            warning -> err.println("warning: " + warning));
      }
      outcome.audit().policies().warnings().forEach(w -> err.println("warning: " + w));
      PrintWriter out = spec.commandLine().getOut();
      if (format == Format.json) {
        out.println(json(outcome));
      } else {
        table(outcome, out);
      }
      out.flush();
      ClusterAudit.Outcome audit = outcome.audit();
      err.printf(Locale.ROOT, "listed %d objects in %.1f s, judged in %.1f s, wrote in %.1f s%n",
          audit.counts().values().stream().mapToInt(Integer::intValue).sum(),
          audit.listing().toMillis() / 1000.0, audit.judging().toMillis() / 1000.0,
          outcome.writing().toMillis() / 1000.0);
      for (String failure : outcome.failures()) {
        err.println("error: " + failure);
      }
      err.flush();
      return outcome.failures().isEmpty() ? ExitCode.OK : ExitCode.ERROR;
    }

    private static void table(BatchAuditor.Outcome outcome, PrintWriter out) {
      AuditRunSummary summary = outcome.summary();
      String line = "%-30s %-24s %5s  %-9s %9s %10s%n";
      out.printf(line, "NAMESPACE", "POLICY", "SCORE", "CLASS", "WORKLOADS", "VIOLATIONS");
      for (AuditRunSummary.NamespaceSummary ns : summary.namespaces()) {
        int violations = ns.violationsBySeverity().values().stream()
            .mapToInt(Integer::intValue).sum();
        out.printf(line, ns.namespace(), ns.policy() == null ? "-" : ns.policy(), ns.score(),
            io.stochastic.devops.engine.Classification.of(ns.score()).name(), ns.workloads(),
            violations);
      }
      out.printf("Cluster %s: %d/100 %s; %d PolicyAuditResults written, %d pruned; "
              + "%d PolicyReports written; metrics %s%n", summary.cluster(),
          summary.clusterScore(),
          io.stochastic.devops.engine.Classification.of(summary.clusterScore()).name(),
          outcome.resultsWritten(), outcome.resultsPruned(), outcome.reportsWritten(),
          outcome.pushed() ? "pushed" : "not pushed");
    }

    private static String json(BatchAuditor.Outcome outcome) throws IOException {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("summary", outcome.summary());
      root.put("resultsWritten", outcome.resultsWritten());
      root.put("resultsPruned", outcome.resultsPruned());
      root.put("reportsWritten", outcome.reportsWritten());
      root.put("pushed", outcome.pushed());
      root.put("failures", new ArrayList<>(outcome.failures()));
      return new ObjectMapper().registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }
  }
}
