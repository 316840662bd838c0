package io.stochastic.devops.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.kube.CachedObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.runtime.ComponentRuntime;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.StopSignal;
import io.stochastic.devops.watch.WatchEngine;
import io.stochastic.devops.watch.WatchSettings;
import io.stochastic.devops.watch.WatchSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code kube-devops watch}: the real-time watch engine (docs/watch.md). */
@Command(name = "watch",
    defaultValueProvider = WatchCommand.Defaults.class,
    description = {
        "Run the watch engine: live health scores of the cluster and of every namespace that "
            + "runs a pod or a workload, on /metrics. Informers on pods, the workload kinds, the "
            + "objects the checks read and the DevOpsPolicies feed each evaluation (no list per "
            + "evaluation); changes mark their namespace, and once a second every namespace "
            + "changed is evaluated once with the same engine and policy resolution as "
            + "'analyze' (every namespace again each --resync, for time-based checks). Pod "
            + "events, container restarts and pods entering Failed, CrashLoopBackOff or "
            + "Unschedulable are counted.",
        "Runs until SIGTERM, serving /healthz, /readyz and /metrics on --metrics-port, with "
            + "leader election on the Lease kube-devops-watch: only the leader publishes. On a "
            + "terminal it prints the cluster's score and its worst namespaces every few "
            + "seconds.", ""},
    footer = {"", "Exit codes: 0 after SIGTERM; 2 usage error, the cluster could not be reached "
        + "or watched at start, or the lead was lost while running (another replica takes "
        + "over).",
        "", "Examples:",
        "  kube-devops watch",
        "  kube-devops watch -n shop -n payments --resync 1m --no-leader-election"})
final class WatchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchCommand.class);
  /** DESIGN.md §4: the watch engine serves on 8080, the other components on 9090. */
  static final int DEFAULT_PORT = 8080;
  /** How often the terminal summary is refreshed (printed when it changed). */
  private static final Duration SUMMARY_EVERY = Duration.ofSeconds(5);
  private final Application application;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  WatchedNamespaces watched;

  @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "30s",
      description = "Re-evaluate every namespace this often without a change seen, for "
          + "time-based checks such as pendingTooLong (default: ${DEFAULT-VALUE}).")
  String resync;

  @Option(names = "--lease-namespace", paramLabel = "NS",
      description = "Namespace of the Lease kube-devops-watch (default: $POD_NAMESPACE, "
          + "else the context's namespace).")
  String leaseNamespace;

  @Mixin
  ComponentOptions runtimeOptions;

  @Mixin
  EngineOptions engineOptions;

  WatchCommand(Application application) {
    this.application = application;
  }

  /** The watch's own default for the shared {@code --metrics-port}. */
  static final class Defaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argument) {
      return argument instanceof OptionSpec option && option.longestName().equals("--metrics-port")
          ? String.valueOf(DEFAULT_PORT) : null;
    }
  }

  @Override
  public Integer call() {
    Set<String> namespaces = watched.resolve();
    runtimeOptions.validate();
    Duration every = ComponentOptions.positive("--resync", resync);
    WatchSettings settings = WatchSettings.defaults()
        .withNamespaces(namespaces).withResync(every);
    try (ClusterSession session = cluster.open(application)) {
      ReconcileCommand.requireReadablePolicies(session, settings.namespaces());
      ComponentSettings component = runtimeOptions.settings("watch",
          ComponentOptions.leaseNamespace(leaseNamespace, session));
      runtimeOptions.configureLogging();
      PrometheusRegistry registry = new PrometheusRegistry();
      WatchMetrics metrics = new WatchMetrics(registry);
      StopSignal stop = StopSignal.onTermination();
      AtomicBoolean lostLead = new AtomicBoolean();
      try (ComponentRuntime runtime = ComponentRuntime.start(component, session.client(),
          registry, () -> {
            LOG.warn("lease {}/{}: lead lost; stopping", component.namespace(),
                component.leaseName());
            lostLead.set(true);
            stop.requestStop();
          })) {
        runtime.readiness().notReady("informers", "starting");
        try (WatchEngine engine = WatchEngine.start(session,
            application.engine(engineOptions.engineSettings(session)),
            application.resolvedPolicies(), PolicyOptions.bundle(application, null),
            CachedObjectSource.resourcesFor(application.catalog().definitions()), settings,
            metrics, runtime::mayWork, application.clock())) {
          runtime.readiness().ready("informers");
          // a log line, not a print: with --log-format json every line is a JSON object
          LOG.atInfo().addKeyValue("namespaces", settings.namespaces().isEmpty() ? "*"
                  : String.join(",", settings.namespaces()))
              .addKeyValue("cluster", session.context()).addKeyValue("resync", resync)
              .log("watching; /healthz, /readyz, /metrics on port {}", runtime.port());
          ScheduledExecutorService summary = application.terminal().interactive()
              ? printSummaries(engine, runtime) : null;
          try {
            runtime.runUntilStopped(stop, () -> {
              engine.round();
              return settings.coalesce();
            });
          } finally {
            if (summary != null) {
              summary.shutdownNow();
            }
          }
        }
      }
      LOG.info(lostLead.get() ? "stopped: the lead was lost"
          : "stopped: the round in flight finished"
              + (component.leaderElection() ? " and the Lease was released" : ""));
      return lostLead.get() ? ExitCode.ERROR : ExitCode.OK;
    }
  }

  /** The live summary on the terminal, printed when it changed, checked every few seconds. */
  private static ScheduledExecutorService printSummaries(WatchEngine engine,
      ComponentRuntime runtime) {
    PrintWriter out = new PrintWriter(System.out, true);
    AtomicReference<String> last = new AtomicReference<>("");
    ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kube-devops-watch-summary");
      thread.setDaemon(true);
      return thread;
    });
    every.scheduleWithFixedDelay(() -> {
      String text = runtime.mayWork() ? WatchSummary.render(engine.scores())
          : runtime.readiness().role();
      if (!text.equals(last.getAndSet(text))) {
        out.println(text);
      }
    }, SUMMARY_EVERY.toMillis(), SUMMARY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return every;
  }
}
