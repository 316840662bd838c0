package io.stochastic.devops.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.kube.KubeAccessException;
import io.stochastic.devops.kube.LivePolicies;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.operator.DevOpsPolicyReconciler;
import io.stochastic.devops.operator.OperatorSettings;
import io.stochastic.devops.operator.PolicyOperator;
import io.stochastic.devops.operator.WorkloadEnforcer;
import io.stochastic.devops.runtime.ComponentRuntime;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.StopSignal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-devops reconcile}: the operator (docs/operator.md). */
@Command(name = "reconcile",
    description = {
        "Run the operator: keep the .status of every DevOpsPolicy true to its namespace. "
            + "Informers on pods, the workload kinds and the objects the checks read feed each "
            + "evaluation (no list per reconcile); a change to any of them re-evaluates its "
            + "namespace with the same engine and policy resolution as 'analyze', and so does "
            + "every --resync for time-based checks. The status is patched only when it says "
            + "something new; Events record violations appearing and clearing.",
        "Runs until SIGTERM, serving /healthz, /readyz and /metrics on --metrics-port, with "
            + "leader election on the Lease kube-devops-operator.", ""},
    footer = {"", "Exit codes: 0 after SIGTERM; 2 usage error, the cluster could not be reached at "
        + "start, or the lead was lost while running (the Lease could not be renewed: another "
        + "replica takes over).",
        "", "Examples:",
        "  kube-devops reconcile",
        "  kube-devops reconcile -n shop -n payments --resync 1m --no-leader-election"})
final class ReconcileCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileCommand.class);
  private final Application application;
  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  WatchedNamespaces watched;

  @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "30s",
      description = "Re-evaluate every policy this often without a change seen, for "
          + "time-based checks such as pendingTooLong (default: ${DEFAULT-VALUE}).")
  String resync;

  @Option(names = "--dry-run", description = "Enforce mode: log the patches the enforcer would "
      + "make (each after a server dry run) instead of making them. Statuses are still written.")
  private boolean dryRun;

  @Option(names = "--lease-namespace", paramLabel = "NS",
      description = "Namespace of the Lease kube-devops-operator (default: $POD_NAMESPACE, "
          + "else the context's namespace).")
  String leaseNamespace;

  @Mixin
  ComponentOptions runtimeOptions;

  @Mixin
  EngineOptions engineOptions;

  ReconcileCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() {
    Set<String> namespaces = watched.resolve();
    runtimeOptions.validate();
    Duration every = ComponentOptions.positive("--resync", resync);
    OperatorSettings settings = OperatorSettings.defaults()
        .withNamespaces(namespaces).withResync(every);
    try (ClusterSession session = cluster.open(application)) {
      requireReadablePolicies(session, settings.namespaces());
      String leaseNs = ComponentOptions.leaseNamespace(leaseNamespace, session);
      ComponentSettings component = runtimeOptions.settings("operator", leaseNs);
      runtimeOptions.configureLogging();
      PrometheusRegistry registry = new PrometheusRegistry();
      OperatorMetrics metrics = new OperatorMetrics(registry);
      Engine engine = application.engine(engineOptions.engineSettings(session));
      EventRecorder events = new EventRecorder(session, DevOpsPolicyReconciler.EVENT_COMPONENT,
          component.identity(), application.clock());
      DevOpsPolicyReconciler reconciler = new DevOpsPolicyReconciler(engine,
          application.resolvedPolicies(), PolicyOptions.bundle(application, null),
          DevOpsPolicyReconciler.resourcesFor(application.catalog().definitions()), settings,
          metrics, events,
          new WorkloadEnforcer(session, engine, dryRun, metrics, events, application.clock()),
          application.clock());
      StopSignal stop = StopSignal.onTermination();
      AtomicBoolean lostLead = new AtomicBoolean();
      // The runtime serves /healthz, /readyz, /metrics; the election is JOSDK's (PolicyOperator).
      try (ComponentRuntime runtime = ComponentRuntime.start(component.withLeaderElection(false),
          session.client(), registry)) {
        runtime.readiness().notReady("informers", "starting");
        try (PolicyOperator operator = start(session, reconciler, settings, metrics, component,
            () -> {
              lostLead.set(true);
              stop.requestStop();
            })) {
          runtime.readiness().ready("informers");
          runtime.readiness().role(operator::role);
          // a log line, not a print: with --log-format json every line is a JSON object
          LOG.atInfo().addKeyValue("namespaces", settings.namespaces().isEmpty() ? "*"
                  : String.join(",", settings.namespaces()))
              .addKeyValue("cluster", session.context()).addKeyValue("resync", resync)
              .log("reconciling DevOpsPolicies; /healthz, /readyz, /metrics on port {}",
                  runtime.port());
          while (!stop.await(Duration.ofHours(1))) {
            // the reconciles run on JOSDK's threads; this one only waits for the stop
          }
        }
      }
      LOG.info(lostLead.get() ? "stopped: the lead was lost"
          : "stopped: the reconciles in flight finished and the Lease was released");
      return lostLead.get() ? ExitCode.ERROR : ExitCode.OK;
    }
  }

  /**
   * One list of the policies to watch before JOSDK starts: an unreachable cluster, rejected
   * credentials, a missing CRD or a missing permission is then one line naming the request,
   * rather than informer stack traces followed by a vague error.
   */
  static void requireReadablePolicies(ClusterSession session, Set<String> namespaces) {
    LivePolicies policies = new LivePolicies(session);
    if (namespaces.isEmpty()) {
      policies.list(null);
    } else {
      namespaces.forEach(policies::list);
    }
  }

  /** Starts the operator; what still keeps it from starting is one line. */
  private static PolicyOperator start(ClusterSession session, DevOpsPolicyReconciler reconciler,
      OperatorSettings settings, OperatorMetrics metrics, ComponentSettings component,
      Runnable onLostLead) {
    try {
      return PolicyOperator.start(session.client(), reconciler, settings, metrics, component,
          onLostLead);
    } catch (RuntimeException e) {
      // the deepest message that says something: JOSDK wraps the informer's failure
      String reason = e.toString();
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
          reason = cause.getMessage();
        }
      }
      throw new KubeAccessException("cannot start the operator against " + session.context()
          + " (" + session.server() + "): " + reason, e);
    }
  }
}
