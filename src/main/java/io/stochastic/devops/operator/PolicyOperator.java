package io.stochastic.devops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.runtime.ComponentSettings;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * stops the process with a failure only when the lead was lost while still running.
 */
public final class PolicyOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyOperator.class);

  private final Operator operator;
  /** Set before a stop, so that the end of the lead it causes is not taken for a loss. */
  private final AtomicBoolean stopping;

  private PolicyOperator(Operator operator, AtomicBoolean stopping) {
    this.operator = operator;
    this.stopping = stopping;
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
    LeaderElectionConfiguration election = !component.leaderElection() ? null
        : LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(component.leaseName())
            .withLeaseNamespace(component.namespace())
            .withIdentity(component.identity())
            .withLeaseDuration(component.leaseDuration())
            .withRenewDeadline(component.renewDeadline())
            .withRetryPeriod(component.retryPeriod())
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(
                () -> LOG.info("lease {}/{}: {} is the leader now", component.namespace(),
                    component.leaseName(), component.identity()),
                () -> {
                  if (!stopping.get()) {
                    LOG.warn("lease {}/{}: lead lost; stopping", component.namespace(),
                        component.leaseName());
                    onLostLead.run();
                  }
                },
                leader -> LOG.info("lease {}/{}: {} leads", component.namespace(),
                    component.leaseName(), leader)))
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
    return new PolicyOperator(operator, stopping);
  }

  /** Stops: no new reconcile starts, the ones in flight finish, the Lease is given up. */
  @Override
  public void close() {
    if (stopping.getAndSet(true)) {
      return;
    }
    operator.stop();
  }
}
