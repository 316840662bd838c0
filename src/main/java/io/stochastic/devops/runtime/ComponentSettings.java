package io.stochastic.devops.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How a long-running component runs (DESIGN.md §4): where it serves {@code /healthz},
 * {@code /readyz} and {@code /metrics}, and whether and how it elects a leader.
 *
 * @param component the component's name as it appears in metric and Lease names ({@code sync})
 * @param namespace where its Lease lives: the component's own namespace
 * @param port the plain-HTTP port of the health and metrics server; {@link #DEFAULT_PORT} by
 *     default, 0 for any free port (tests)
 * @param leaderElection whether to elect a leader before working (needed when replicated)
 * @param identity this replica's holder identity in the Lease (the pod name in a cluster)
 * @param leaseDuration how long a leader's claim holds without renewal: a replica that dies
 *     unannounced is replaced after at most this long
 * @param renewDeadline how long the leader keeps trying to renew before it gives the lead up;
 *     shorter than {@code leaseDuration}, so that it stops working before another can take over
 * @param retryPeriod how often a follower tries to acquire the Lease and the leader renews it
 * @param shutdownGrace how long SIGTERM waits for the work in flight before it gives up on it;
 *     below Kubernetes's default 30 s termination grace period
 */
public record ComponentSettings(String component, String namespace, int port,
    boolean leaderElection, String identity, Duration leaseDuration, Duration renewDeadline,
    Duration retryPeriod, Duration shutdownGrace) {

  /** The port of {@code /healthz}, {@code /readyz} and {@code /metrics} (DESIGN.md §4). */
  public static final int DEFAULT_PORT = 9090;
  /** client-go's and JOSDK's defaults: lease 15 s, renew within 10 s, retry every 2 s. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

  public ComponentSettings {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(identity, "identity");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, not " + port);
    }
    if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
      throw new IllegalArgumentException("leader election needs retry period < renew deadline"
          + " < lease duration, not " + retryPeriod + ", " + renewDeadline + ", " + leaseDuration);
    }
  }

  /** The documented defaults, leader election on, identity from {@code POD_NAME} or the host. */
  public static ComponentSettings defaults(String component, String namespace) {
    return new ComponentSettings(component, namespace, DEFAULT_PORT, true, defaultIdentity(),
        DEFAULT_LEASE_DURATION, DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD,
        DEFAULT_SHUTDOWN_GRACE);
  }

  /** The Lease this component's replicas compete for (DESIGN.md §4, contract). */
  public String leaseName() {
    return leaseName(component);
  }

  /** The Lease of {@code component} ({@code kube-devops-sync}); its RBAC names it too. */
  public static String leaseName(String component) {
    return "kube-devops-" + component;
  }

  public ComponentSettings withPort(int newPort) {
    return new ComponentSettings(component, namespace, newPort, leaderElection, identity,
        leaseDuration, renewDeadline, retryPeriod, shutdownGrace);
  }

  public ComponentSettings withLeaderElection(boolean elect) {
    return new ComponentSettings(component, namespace, port, elect, identity, leaseDuration,
        renewDeadline, retryPeriod, shutdownGrace);
  }

  public ComponentSettings withIdentity(String newIdentity) {
    return new ComponentSettings(component, namespace, port, leaderElection, newIdentity,
        leaseDuration, renewDeadline, retryPeriod, shutdownGrace);
  }

  public ComponentSettings withLeaseTimings(Duration lease, Duration renew, Duration retry) {
    return new ComponentSettings(component, namespace, port, leaderElection, identity, lease,
        renew, retry, shutdownGrace);
  }

  /**
   * The pod name (set from the downward API in the Deployment), else the host name, which in a
   * pod is the pod name too; the process id keeps two replicas on one machine apart.
   */
  private static String defaultIdentity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "localhost" : host) + "-"
        + ProcessHandle.current().pid();
  }
}
