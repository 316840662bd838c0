package io.stochastic.devops.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.PolicyGate;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.kube.ClientFactory;
import io.stochastic.devops.kube.ClusterAudit;
import io.stochastic.devops.kube.ClusterObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.KubeAccessException;
import io.stochastic.devops.report.AuditReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-devops multi-cluster}: the fleet of a kubeconfig's contexts. */
@Command(name = "multi-cluster",
    description = {"Work with every cluster of a kubeconfig.", ""},
    subcommands = {MultiClusterCommand.ListContexts.class, MultiClusterCommand.Analyze.class})
final class MultiClusterCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required: list-contexts or analyze");
  }

  /** {@code multi-cluster list-contexts}. */
  @Command(name = "list-contexts",
      description = {"List the kubeconfig's contexts: name, cluster, server, namespace; the "
          + "current one marked *.", ""},
      footer = {"", "Exit codes: 0 listed; 2 the kubeconfig could not be read."})
  static final class ListContexts implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Option(names = "--kubeconfig", paramLabel = "FILE",
        description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    ListContexts(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      ClientFactory clients = application.clients(kubeconfig);
      var config = clients.config(null);
      String current = clients.currentContext().orElse("");
      PrintWriter out = spec.commandLine().getOut();
      if (config.getContexts() == null || config.getContexts().isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("no contexts in the kubeconfig");
        err.flush();
        return ExitCode.OK;
      }
      String line = "%-1s %-30s %-30s %s%n";
      out.printf(line, "", "NAME", "CLUSTER", "NAMESPACE");
      for (var context : config.getContexts()) {
        var c = context.getContext();
        out.printf(line, context.getName().equals(current) ? "*" : "", context.getName(),
            c == null || c.getCluster() == null ? "" : c.getCluster(),
            c == null || c.getNamespace() == null ? "default" : c.getNamespace());
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  /** {@code multi-cluster analyze}. */
  @Command(name = "analyze",
      description = {"Audit several clusters at once, each as 'analyze -A' would, and score the "
          + "fleet over every cluster's results. A cluster that cannot be reached or times out "
          + "is reported with its error and does not stop the others.", ""},
      footer = {"", "Exit codes: 0 the gate passed (some clusters may have failed: see the "
          + "report); 1 the fleet fails --fail-below or --fail-on; 2 usage error, or no cluster "
          + "could be audited.",
          "", "Examples:",
          "  kube-devops multi-cluster analyze --all-contexts",
          "  kube-devops multi-cluster analyze --contexts prod-eu,prod-us --per-cluster -o json"})
  static final class Analyze implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    PolicyOptions policy;
    @Mixin
    GateOptions gate;
    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
        description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--contexts", paramLabel = "A,B", split = ",",
        description = "The contexts to audit.")
    List<String> contexts = new ArrayList<>();

    @Option(names = "--all-contexts", description = "Every context of the kubeconfig.")
    boolean allContexts;

    @Option(names = "--per-cluster",
        description = "Also show each cluster's workloads and findings (json: each cluster's "
            + "full report).")
    boolean perCluster;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "4",
        description = "Clusters audited at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s",
        description = "Give up on a cluster after this long: 90s, 5m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    enum Format { table, json }

    Analyze(Application application) {
      this.application = application;
    }

    /** One cluster's outcome in the fleet report. */
    @JsonPropertyOrder({"cluster", "status", "error", "score", "classification", "summary",
        "report"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClusterEntry(String cluster, String status, String error, Integer score,
        String classification, AuditReport.Summary summary, AuditReport report) {}

    @JsonPropertyOrder({"apiVersion", "kind", "score", "classification", "clusters"})
    record FleetReport(String apiVersion, String kind, int score, String classification,
        List<ClusterEntry> clusters) {}

    @Override
    public Integer call() throws IOException {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      policy.validate();
      engineOptions.kubernetesVersion();
      PolicyGate policyGate = gate.gate();
      Duration limit = parseDuration(timeout);
      if (parallelism < 1) {
        throw new UserException("--parallelism must be at least 1, not " + parallelism);
      }
      ClientFactory clients = application.clients(kubeconfig);
      List<String> targets = allContexts ? clients.contexts() : contexts;
      if (allContexts && !contexts.isEmpty()) {
        throw new UserException("--contexts and --all-contexts cannot be combined");
      }
      if (targets.isEmpty()) {
        throw new UserException(allContexts ? "no contexts in the kubeconfig"
            : "name the clusters: --contexts a,b or --all-contexts");
      }
      PrintWriter err = spec.commandLine().getErr();
      EffectivePolicy fixed = policy.fixedPolicy(application, err);
      EffectivePolicy fallback = fixed != null ? fixed : policy.fallback(application);
      Map<String, ClusterRun> runs = audit(clients, targets, fixed, fallback, limit, err);

      List<ClusterEntry> entries = new ArrayList<>();
      List<SubjectResult> all = new ArrayList<>();
      int failed = 0;
      for (var entry : runs.entrySet()) {
        ClusterRun run = entry.getValue();
        if (run.error() == null) {
          AuditResult result = run.outcome().result();
          all.addAll(result.subjects());
          AuditReport report = AuditReport.of(result, false, run.outcome().cluster());
          entries.add(new ClusterEntry(entry.getKey(), "audited", null, report.score(),
              report.classification(), report.summary(), perCluster ? report : null));
        } else {
          failed++;
          entries.add(new ClusterEntry(entry.getKey(), "failed", run.error(), null, null, null,
              null));
        }
      }
      Score fleet = new AuditResult(all, 0, 0, 0).score();
      PrintWriter out = spec.commandLine().getOut();
      if (format == Format.json) {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(new FleetReport(AuditReport.API_VERSION, "FleetReport",
                fleet.value(), fleet.classification().name(), entries)));
      } else {
        printTable(out, entries, fleet);
      }
      out.flush();
      for (ClusterEntry entry : entries) {
        if (entry.error() != null) {
          err.println("error: cluster " + entry.cluster() + ": " + entry.error());
        }
      }
      err.flush();
      if (failed == entries.size()) {
        err.println("error: no cluster could be audited");
        err.flush();
        return ExitCode.ERROR;
      }
      return GateOptions.apply(policyGate, fleet, all, err);
    }

    /** One cluster's audit, or the line saying why there is none. */
    record ClusterRun(ClusterAudit.Outcome outcome, String error) {
      static ClusterRun failed(String error) {
        return new ClusterRun(null, error);
      }
    }

    /** Each context's outcome or error line, in the order asked for. */
    private Map<String, ClusterRun> audit(ClientFactory clients, List<String> targets,
        EffectivePolicy fixed, EffectivePolicy fallback, Duration limit, PrintWriter err) {
      boolean progress = application.terminal().interactive();
      AtomicInteger done = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(
          Math.min(parallelism, targets.size()), runnable -> {
            Thread thread = new Thread(runnable, "kube-devops-cluster");
            thread.setDaemon(true);
            return thread;
          });
      Map<String, Future<ClusterAudit.Outcome>> futures = new LinkedHashMap<>();
      for (String context : targets) {
        futures.put(context, pool.submit(() -> {
          try (ClusterSession session = ClusterSession.open(clients, context)) {
            ClusterAudit.Outcome outcome = new ClusterAudit(
                application.engine(engineOptions.engineSettings(session)),
                application.resolvedPolicies(), ClusterObjectSource.PAGE_SIZE)
                .run(session, context, null, fixed, fallback, what -> { },
                    warning -> { });
            if (progress) {
              synchronized (err) {
                err.printf("\r%d/%d clusters audited", done.incrementAndGet(), targets.size());
                err.flush();
              }
            }
            return outcome;
          }
        }));
      }
      Map<String, ClusterRun> outcomes = new LinkedHashMap<>();
      long deadline = System.nanoTime() + limit.toNanos();
      for (var entry : futures.entrySet()) {
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          outcomes.put(entry.getKey(),
              new ClusterRun(entry.getValue().get(left, TimeUnit.NANOSECONDS), null));
        } catch (TimeoutException e) {
          entry.getValue().cancel(true);
          outcomes.put(entry.getKey(), ClusterRun.failed("timed out after " + timeout));
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          outcomes.put(entry.getKey(), ClusterRun.failed(cause instanceof KubeAccessException
              || cause instanceof UserException ? cause.getMessage()
              : "failed: " + ErrorHandler.firstLine(String.valueOf(cause.getMessage()))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          outcomes.put(entry.getKey(), ClusterRun.failed("interrupted"));
        }
      }
      pool.shutdownNow();
      if (progress) {
        err.print("\r\033[K");
        err.flush();
      }
      return outcomes;
    }

    private void printTable(PrintWriter out, List<ClusterEntry> entries, Score fleet) {
      String line = "%-30s %-9s %5s  %-9s %s%n";
      out.printf(line, "CLUSTER", "STATUS", "SCORE", "CLASS", "WORKLOADS / ERROR");
      for (ClusterEntry e : entries) {
        out.printf(line, e.cluster(), e.status(), e.score() == null ? "-" : e.score(),
            e.classification() == null ? "-" : e.classification(),
            e.error() != null ? e.error() : e.summary().workloads() + " workloads, "
                + e.summary().failed() + " findings");
        if (perCluster && e.report() != null) {
          for (AuditReport.Workload w : e.report().workloads()) {
            out.printf("    %-12s %-40s %3d  %s%n", w.kind(), w.namespace() + "/" + w.name(),
                w.score(), w.classification());
            for (AuditReport.Finding f : w.findings()) {
              out.printf("        %-8s %-36s %s%n", f.severity(), f.check(), f.message());
            }
          }
        }
      }
      out.printf("Fleet score: %d/100 %s%n", fleet.value(), fleet.classification().name());
    }
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, or an ISO-8601 duration ({@code PT90S}). */
  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+(ms|s|m|h)")) {
        long n = Long.parseLong(t.replaceAll("\\D", ""));
        return switch (t.replaceAll("\\d", "")) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new UserException("invalid duration '" + text + "' (expected e.g. 90s, 5m, 1h)");
    }
  }
}
