package io.stochastic.devops.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election among a component's replicas (DESIGN.md §4): fabric8's
 * {@code LeaderElector} on the Lease {@code kube-devops-<component>} in the component's
 * namespace. Only the leader works; the others wait and take over when the leader stops renewing
 * (it died) or releases the Lease (it stopped cleanly: {@link #close()}), which is at once rather
 * than a lease duration later.
 *
 * <p>Needs {@code get}, {@code create} and {@code patch} on {@code coordination.k8s.io} leases
 * in that namespace: fabric8 7.5 creates the Lease, then takes it over, renews and releases it
 * with patches, never an update (deploy/sync's SyncRbacIT checks it).
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final String lease;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<String> leader = new AtomicReference<>();
  private LeaderElector elector;
  private CompletableFuture<?> running;

  private LeaderElection(String lease) {
    this.lease = lease;
  }

  /**
   * Starts competing for the lead in the background.
   *
   * @param onStartLeading called (on the elector's thread) when this replica becomes leader
   * @param onStopLeading called when it loses or gives up the lead
   */
  public static LeaderElection start(KubernetesClient client, ComponentSettings settings,
      Runnable onStartLeading, Runnable onStopLeading) {
    LeaderElection election = new LeaderElection(
        settings.namespace() + "/" + settings.leaseName());
    String identity = settings.identity();
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> {
          election.leading.set(true);
          LOG.info("lease {}: {} is the leader now", election.lease, identity);
          onStartLeading.run();
        },
        () -> {
          boolean wasLeading = election.leading.getAndSet(false);
          if (wasLeading) {
            LOG.info("lease {}: {} stopped leading", election.lease, identity);
            onStopLeading.run();
          }
        },
        newLeader -> {
          election.leader.set(newLeader);
          if (!identity.equals(newLeader)) {
            LOG.info("lease {}: {} leads, {} waits", election.lease, newLeader, identity);
          }
        });
    election.elector = client.leaderElector()
        .withConfig(new LeaderElectionConfigBuilder()
            .withName(settings.leaseName())
            .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), identity))
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withLeaderCallbacks(callbacks)
            // a clean stop hands the lead over at once instead of after a lease duration
            .withReleaseOnCancel(true)
            .build())
        .build();
    election.running = election.elector.start();
    return election;
  }

  public boolean isLeader() {
    return leading.get();
  }

  /** The holder identity of the Lease as last seen, or null before the first observation. */
  public String currentLeader() {
    return leader.get();
  }

  /**
   * Stops competing; a leader releases the Lease (fabric8 keeps the holder and shortens the
   * lease to 1 s) so that another replica takes over at once. The release is made here, before
   * this returns, rather than left to the cancelled elector's thread: the process exits next.
   */
  @Override
  public void close() {
    running.cancel(true);
    elector.release();
  }
}
