package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.Readiness;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: JOSDK with the {@link DevOpsPolicyReconciler} registered, its informers
 * synced and, with leader election, competing for the Lease {@code kube-devops-operator}.
 *
 * <p>Leader election is JOSDK's, on the Lease name and timings of {@link ComponentSettings}, not
 * the shared {@code runtime.LeaderElection}: JOSDK's gates its own event processing while the
 * informers of a follower stay synced, so a new leader starts with warm caches; an Operator
 * cannot be started again once stopped, which driving it from the shared election would need.
 * JOSDK's default on losing the lead is {@code System.exit(1)}, which would also fire on a clean
 * stop (cancelling the elector ends the lead); instead {@code onLostLead} is told, and the caller
 * stops the process with a failure only when the lead was lost while still running. JOSDK
 * does not release the Lease when it stops either; {@link #close()} does, as the shared election
 * does, so that another replica takes over at once rather than a lease duration later.
 */
public final class PolicyOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyOperator.class);

  private final Operator operator;
  private final KubernetesClient client;
  private final ComponentSettings component;
  /** Set before a stop, so that the end of the lead it causes is not taken for a loss. */
  private final AtomicBoolean stopping;
  private final AtomicBoolean leading;
  private final AtomicReference<String> leader;

  private PolicyOperator(Operator operator, KubernetesClient client, ComponentSettings component,
      AtomicBoolean stopping, AtomicBoolean leading, AtomicReference<String> leader) {
    this.operator = operator;
    this.client = client;
    this.component = component;
    this.stopping = stopping;
    this.leading = leading;
    this.leader = leader;
  }

  /**
   * The {@code /readyz} role line ({@link Readiness#roleLine}): {@code leader: <identity>} or
   * {@code follower: waiting for the lead (held by <identity>)}; null without leader election.
   */
  public String role() {
    return component.leaderElection()
        ? Readiness.roleLine(component.identity(), leading.get(), leader.get()) : null;
  }

  /**
   * Registers the reconciler and starts: returns once the informers are synced (and, with
   * leader election, while the lead is still being competed for).
   *
   * @param component the settings of the runtime: Lease name, namespace, identity, timings
   * @param onLostLead told when this replica lost the lead before {@link #close()}
   */
  public static PolicyOperator start(KubernetesClient client, DevOpsPolicyReconciler reconciler,
      OperatorSettings settings, OperatorMetrics metrics, ComponentSettings component,
      Runnable onLostLead) {
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicBoolean leading = new AtomicBoolean();
    AtomicReference<String> leader = new AtomicReference<>();
    LeaderElectionConfiguration election = !component.leaderElection() ? null
        : LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(component.leaseName())
            .withLeaseNamespace(component.namespace())
            .withIdentity(component.identity())
            .withLeaseDuration(component.leaseDuration())
            .withRenewDeadline(component.renewDeadline())
            .withRetryPeriod(component.retryPeriod())
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(
                () -> {
                  leading.set(true);
                  LOG.info("lease {}/{}: {} is the leader now", component.namespace(),
                      component.leaseName(), component.identity());
                },
                () -> {
                  leading.set(false);
                  if (!stopping.get()) {
                    LOG.warn("lease {}/{}: lead lost; stopping", component.namespace(),
                        component.leaseName());
                    onLostLead.run();
                  }
                },
                newLeader -> {
                  leader.set(newLeader);
                  LOG.info("lease {}/{}: {} leads", component.namespace(),
                      component.leaseName(), newLeader);
                }))
            .build();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withMetrics(new ReconcileMetrics(metrics));
      if (election != null) {
        o.withLeaderElectionConfiguration(election);
      }
    });
    operator.register(reconciler, c -> {
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
      c.withRetry(new OperatorRetry());
      c.withGenerationAware(true);
    });
    operator.start();
    return new PolicyOperator(operator, client, component, stopping, leading, leader);
  }

  /** Stops: no new reconcile starts, the ones in flight finish, the Lease is given up. */
  @Override
  public void close() {
    if (stopping.getAndSet(true)) {
      return;
    }
    operator.stop();
    if (component.leaderElection()) {
      release();
    }
  }

  /**
   * Gives up the Lease if this replica holds it, the way fabric8's elector releases one: the
   * holder stays, the lease duration drops to 1 s, so a follower takes it on its next try. A
   * failure is only logged: the Lease then expires as if this replica had died.
   */
  private void release() {
    try {
      Lease current = client.leases().inNamespace(component.namespace())
          .withName(component.leaseName()).get();
      if (current == null || current.getSpec() == null
          || !component.identity().equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      current.getSpec().setLeaseDurationSeconds(1);
      current.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
      // an update, not a patch: it fails if another replica took the Lease meanwhile
      client.leases().inNamespace(component.namespace()).resource(current).update();
      LOG.info("lease {}/{}: released by {}", component.namespace(), component.leaseName(),
          component.identity());
    } catch (KubernetesClientException e) {
      LOG.warn("lease {}/{}: cannot release ({}); it expires in {}", component.namespace(),
          component.leaseName(), e.getMessage(), component.leaseDuration());
    }
  }
}
