package io.stochastic.devops.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every long-running component runs in (DESIGN.md §4): the health and metrics server, the
 * readiness reasons it reports, leader election when replicated, and a loop that runs the
 * component's rounds (a sync poll, ...) on the leader until a stop is requested.
 *
 * <p>Followers stay ready: they serve {@code /metrics} and would block a rolling update if they
 * reported not ready for merely waiting for the lead; {@code /readyz} says {@code leader: ...} or
 * {@code follower: ...} in its body instead.
 */
public final class ComponentRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentRuntime.class);

  private final ComponentSettings settings;
  private final Readiness readiness;
  private final ComponentServer server;
  private final LeaderElection election;
  private final AtomicBoolean closed;

  private ComponentRuntime(ComponentSettings settings, Readiness readiness,
      ComponentServer server, LeaderElection election, AtomicBoolean closed) {
    this.closed = closed;
    this.settings = settings;
    this.readiness = readiness;
    this.server = server;
    this.election = election;
  }

  /** Starts serving and, when {@code settings} ask for it, competing for the lead. */
  public static ComponentRuntime start(ComponentSettings settings, KubernetesClient client,
      PrometheusRegistry registry) {
    return start(settings, client, registry, () -> { });
  }

  /**
   * As {@link #start(ComponentSettings, KubernetesClient, PrometheusRegistry)}, telling {@code
   * onLostLead} when this replica loses the lead before {@link #close()} (the Lease could not be
   * renewed): a component whose leader-only state (published scores, counters) must not outlive
   * the lead stops then, and its Deployment restarts it as a follower.
   */
  public static ComponentRuntime start(ComponentSettings settings, KubernetesClient client,
      PrometheusRegistry registry, Runnable onLostLead) {
    AtomicBoolean closed = new AtomicBoolean();
    Readiness readiness = new Readiness();
    ComponentServer server = ComponentServer.start(settings.port(), registry, readiness);
    LOG.info("{}: serving /healthz, /readyz and /metrics on port {}", settings.component(),
        server.port());
    LeaderElection election = null;
    if (settings.leaderElection()) {
      try {
        election = LeaderElection.start(client, settings, () -> { }, () -> {
          if (!closed.get()) {
            onLostLead.run();
          }
        });
        LeaderElection elected = election;
        readiness.role(() -> Readiness.roleLine(settings.identity(), elected.isLeader(),
            elected.currentLeader()));
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }
    return new ComponentRuntime(settings, readiness, server, election, closed);
  }

  public Readiness readiness() {
    return readiness;
  }

  public int port() {
    return server.port();
  }

  /** Whether this replica may work: it leads, or there is no election. */
  public boolean mayWork() {
    return election == null || election.isLeader();
  }

  /**
   * Runs {@code round} while this replica may work, until {@code stop} is requested, waiting
   * between rounds as long as the round asks (the poll interval, or a backoff after a failure).
   * A round in flight when the stop comes runs to its end; then the Lease is released and the
   * server stopped ({@link #close()}).
   */
  public void runUntilStopped(StopSignal stop, Supplier<Duration> round) {
    try {
      while (!stop.isRequested()) {
        if (mayWork()) {
          Duration wait = round.get();
          if (stop.await(wait)) {
            break;
          }
        } else {
          // a follower checks for the lead as often as the elector tries to take it
          stop.await(settings.retryPeriod());
        }
      }
      LOG.info("{}: stopping", settings.component());
    } finally {
      close();
    }
  }

  /** Releases the Lease and stops the server; once, however often it is called. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (election != null) {
      election.close();
    }
    server.close();
  }
}
