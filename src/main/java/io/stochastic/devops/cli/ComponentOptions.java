package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.runtime.ComponentLogging;
import io.stochastic.devops.runtime.ComponentSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port}, {@code --[no-]leader-election} and {@code --log-format}, for every
 * long-running component ({@code sync}, {@code reconcile}): the same flags, defaults and checks
 * everywhere.
 */
final class ComponentOptions {
  @Option(names = "--metrics-port", paramLabel = "PORT",
      defaultValue = "" + ComponentSettings.DEFAULT_PORT,
      description = "Port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}; 0: any "
          + "free port).")
  int metricsPort;

  @Option(names = "--leader-election", negatable = true, defaultValue = "true",
      fallbackValue = "true",
      description = "Elect a leader among the replicas on the component's Lease "
          + "(kube-devops-<component>) before working (default: on; --no-leader-election for a "
          + "single replica without Lease permissions).")
  boolean leaderElection;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Log lines of the running component: text or json (one JSON object per "
          + "line, with the object each line concerns as fields; default: ${DEFAULT-VALUE}).")
  String logFormat;

  /** Refuses a port or log format that cannot be; call before talking to the cluster. */
  void validate() {
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new UserException("--metrics-port must be 0-65535, not " + metricsPort);
    }
    logFormat();
  }

  /** Kube-devops's loggers at INFO, in the format asked for: a component's log is its record. */
  void configureLogging() {
    ComponentLogging.configure(logFormat());
  }

  private ComponentLogging.Format logFormat() {
    return OutputFormat.parse(ComponentLogging.Format.class, logFormat, "--log-format");
  }

  /**
   * Where a component's Lease lives: {@code flag} ({@code --lease-namespace}) when given, else
   * the pod's namespace ({@code POD_NAMESPACE}, from the downward API), else the context's.
   */
  static String leaseNamespace(String flag, ClusterSession session) {
    String podNamespace = System.getenv("POD_NAMESPACE");
    return flag != null ? flag
        : podNamespace != null && !podNamespace.isBlank() ? podNamespace
        : session.defaultNamespace();
  }

  /** The duration of {@code flag}, refused unless positive ({@code --resync 0s}). */
  static Duration positive(String flag, String text) {
    Duration duration = MultiClusterCommand.parseDuration(text);
    if (duration.isZero() || duration.isNegative()) {
      throw new UserException(flag + " must be positive, not " + text);
    }
    return duration;
  }

  /** The component's runtime settings with these flags applied. */
  ComponentSettings settings(String component, String namespace) {
    validate();
    return ComponentSettings.defaults(component, namespace).withPort(metricsPort)
        .withLeaderElection(leaderElection);
  }
}
