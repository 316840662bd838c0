package io.stochastic.devops.webhook;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyRef;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.kube.ApiResources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's DevOpsPolicies, watched by an informer, as the {@link AdmissionPolicies} every
 * review reads: no API call per request. Each change rebuilds the lookup from the informer's
 * store (resolution is cached by uid and generation in {@link ResolvedPolicies}, so a status
 * update costs no resolution) and swaps it in whole, so a review sees one consistent set.
 *
 * <p>A policy that cannot be resolved (a custom check that does not compile; lint and the
 * operator say so) is left out and its namespace judged as one without a policy, rather than
 * the webhook failing every review or keeping a policy the cluster no longer holds.
 */
public final class PolicyInformer implements Supplier<AdmissionPolicies>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyInformer.class);

  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final ResolvedPolicies resolved;
  private final EffectivePolicy fallback;
  private final boolean judgeUngoverned;
  private final AtomicReference<AdmissionPolicies> current = new AtomicReference<>();

  private PolicyInformer(SharedIndexInformer<GenericKubernetesResource> informer,
      ResolvedPolicies resolved, EffectivePolicy fallback, boolean judgeUngoverned) {
    this.informer = informer;
    this.resolved = resolved;
    this.fallback = fallback;
    this.judgeUngoverned = judgeUngoverned;
    current.set(new AdmissionPolicies(NamespacePolicies.single(fallback), judgeUngoverned));
  }

  /**
   * Starts watching the DevOpsPolicies of every namespace; {@link #hasSynced()} says when the
   * first list is in.
   *
   * @param fallback the default bundle's policy
   * @param judgeUngoverned false for {@code --default-bundle none}
   */
  public static PolicyInformer start(KubernetesClient client, ResolvedPolicies resolved,
      EffectivePolicy fallback, boolean judgeUngoverned) {
    SharedIndexInformer<GenericKubernetesResource> informer = client
        .genericKubernetesResources(ApiResources.DEVOPS_POLICY).inAnyNamespace().runnableInformer(0);
    PolicyInformer policies = new PolicyInformer(informer, resolved, fallback, judgeUngoverned);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource policy) {
        policies.rebuild();
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        policies.rebuild();
      }

      @Override
      public void onDelete(GenericKubernetesResource policy, boolean finalStateUnknown) {
        policies.rebuild();
      }
    });
    informer.start();
    return policies;
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  @Override
  public AdmissionPolicies get() {
    return current.get();
  }

  private synchronized void rebuild() {
    List<KubeObject> usable = new ArrayList<>();
    informer.getStore().list().stream()
        .sorted(Comparator.comparing((GenericKubernetesResource p) -> p.getMetadata()
            .getNamespace()).thenComparing(p -> p.getMetadata().getName()))
        .forEach(policy -> {
          KubeObject object = ObjectTrees.kubeObject(Serialization.jsonMapper().valueToTree(policy),
              "DevOpsPolicy " + policy.getMetadata().getNamespace() + "/"
                  + policy.getMetadata().getName());
          try {
            Long generation = policy.getMetadata().getGeneration();
            resolved.resolve(object, new PolicyRef(policy.getMetadata().getNamespace(),
                policy.getMetadata().getName(), policy.getMetadata().getUid(),
                generation == null ? 0 : generation));
            usable.add(object);
          } catch (EngineException | IllegalArgumentException e) {
            LOG.warn("{} cannot be used, its namespace is judged as one without a policy: {}",
                object.source(), e.getMessage());
          }
        });
    current.set(new AdmissionPolicies(NamespacePolicies.of(usable, fallback, resolved),
        judgeUngoverned));
  }

  @Override
  public void close() {
    informer.close();
  }
}
