package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyRef;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.kube.CachedObjectSource;
import io.stochastic.devops.kube.ClusterResource;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.DevOpsPolicyStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each DevOpsPolicy's {@code .status} true to its namespace: observe (the informer caches
 * of the namespace, no API list), evaluate (the shared engine, under the policy resolution of
 * {@code analyze} and the auditor), act (enforce mode: {@link WorkloadEnforcer}), patch the
 * status — only when it says something new.
 *
 * <p>Every watched object maps to the DevOpsPolicies of its namespace, so a Pod's restart or a
 * Deployment's new Pods re-evaluate that namespace; each reconcile asks to run again after
 * {@link OperatorSettings#resync()}, for what changes with time alone ({@code pendingTooLong}).
 * Changes of a policy's own status do not come back here: JOSDK reconciles a policy on changes
 * of its generation (its spec) only.
 */
public final class DevOpsPolicyReconciler
    implements Reconciler<DevOpsPolicy>, Cleaner<DevOpsPolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(DevOpsPolicyReconciler.class);
  /** Events name the operator as their source. */
  public static final String EVENT_COMPONENT = "kube-devops-operator";

  private final Engine engine;
  private final ResolvedPolicies resolved;
  private final EffectivePolicy fallback;
  private final Set<ClusterResource> watched;
  private final OperatorSettings settings;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final WorkloadEnforcer enforcer;
  private final Clock clock;
  private final Map<ClusterResource, InformerEventSource<GenericKubernetesResource, DevOpsPolicy>>
      informers = new EnumMap<>(ClusterResource.class);
  private final ObjectTreeMemo trees = new ObjectTreeMemo();

  /**
   * @param fallback the policy of namespaces without one; here only to build the same {@link
   *     NamespacePolicies} as the other entry points (a reconciled namespace always has a policy)
   * @param watched the namespaced resources whose informers feed the evaluation
   * @param enforcer what acts on the evaluation of an enforce-mode policy
   */
  public DevOpsPolicyReconciler(Engine engine, ResolvedPolicies resolved, EffectivePolicy fallback,
      Set<ClusterResource> watched, OperatorSettings settings, OperatorMetrics metrics,
      EventRecorder events, WorkloadEnforcer enforcer, Clock clock) {
    this.engine = engine;
    this.resolved = resolved;
    this.fallback = fallback;
    this.watched = Set.copyOf(watched);
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.enforcer = enforcer;
    this.clock = clock;
  }

  /**
   * What the operator watches for {@code checks}: the namespaced resources an evaluation of them
   * reads ({@link ClusterObjectSource#namespacedResourcesRead}, shared with the RBAC generator,
   * so that the operator's ClusterRole grants list and watch on exactly these).
   */
  public static Set<ClusterResource> resourcesFor(Collection<CheckDefinition> checks) {
    return CachedObjectSource.resourcesFor(checks);
  }

  @Override
  public List<EventSource<?, DevOpsPolicy>> prepareEventSources(
      EventSourceContext<DevOpsPolicy> context) {
    IndexerResourceCache<DevOpsPolicy> policies = context.getPrimaryCache();
    List<EventSource<?, DevOpsPolicy>> sources = new ArrayList<>();
    for (ClusterResource resource : watched) {
      // Generic resources, as the cluster audit lists them: one normalisation for both.
      var configuration = InformerEventSourceConfiguration.from(new GroupVersionKind(
              resource.context().getGroup(), resource.context().getVersion(), resource.kind()),
              DevOpsPolicy.class)
          .withName(resource.displayType())
          .withSecondaryToPrimaryMapper(object -> policiesOf(policies, object))
          .build();
      var source = new InformerEventSource<>(configuration, context);
      informers.put(resource, source);
      sources.add(source);
    }
    return sources;
  }

  /** The policies of the object's namespace: one, or none, or by mistake several. */
  private static Set<ResourceID> policiesOf(IndexerResourceCache<DevOpsPolicy> policies,
      HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return namespace == null ? Set.of()
        : policies.list(namespace).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<DevOpsPolicy> reconcile(DevOpsPolicy policy,
      Context<DevOpsPolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    long generation = Optional.ofNullable(policy.getMetadata().getGeneration()).orElse(0L);
    DevOpsPolicyStatus previous = policy.getStatus();
    Instant now = clock.instant();
    DevOpsPolicyStatus next;
    List<KubeObject> namespacePolicies = context.getPrimaryCache().list(namespace)
        .map(DevOpsPolicyReconciler::tree).toList();
    try {
      NamespacePolicies lookup = NamespacePolicies.of(namespacePolicies, fallback, resolved);
      Optional<PolicyRef> governing = lookup.governing(namespace);
      if (governing.isPresent() && !governing.get().name().equals(name)) {
        metrics.forget(namespace, name);
        next = PolicyStatuses.notEvaluated(generation, PolicyStatuses.Reason.NotGoverning,
            "namespace " + namespace + " is governed by DevOpsPolicy " + governing.get().name()
                + " (the first by name); this one is not evaluated", previous, now);
      } else {
        ObjectSet objects = new InformerObjectSource(informers, namespace, trees).read();
        AuditResult result = engine.audit(objects, lookup);
        next = PolicyStatuses.evaluated(generation, result, previous, now);
        metrics.evaluated(namespace, name, next.getViolations(), next.getHealthScore());
        // Act after judging: the status says what was found; the patches show up in the
        // next evaluation (the workloads' informers report them).
        enforcer.enforce(policy, lookup.policyFor(namespace), result, objects);
      }
    } catch (EngineException e) {
      // Not transient: retrying cannot compile a broken custom check. Said in the status.
      metrics.forget(namespace, name);
      next = PolicyStatuses.notEvaluated(generation, PolicyStatuses.Reason.InvalidPolicy,
          e.getMessage(), previous, now);
    }
    UpdateControl<DevOpsPolicy> control;
    if (PolicyStatuses.needsWrite(previous, next, settings.statusRefresh(), now)) {
      recordEvent(policy, previous, next);
      LOG.info("DevOpsPolicy {}/{}: {}", namespace, name, next.getMessage());
      control = UpdateControl.patchStatus(statusOnly(policy, next));
    } else {
      control = UpdateControl.noUpdate();
    }
    return control.rescheduleAfter(settings.resync());
  }

  @Override
  public DeleteControl cleanup(DevOpsPolicy policy, Context<DevOpsPolicy> context) {
    metrics.forget(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
    trees.forget(policy.getMetadata().getNamespace());
    LOG.info("DevOpsPolicy {}/{} deleted: its metric series removed",
        policy.getMetadata().getNamespace(), policy.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  private void recordEvent(DevOpsPolicy policy, DevOpsPolicyStatus previous,
      DevOpsPolicyStatus next) {
    int before = PolicyStatuses.violations(previous);
    int after = PolicyStatuses.violations(next);
    if (events == null || before == after || before > 0 && after > 0) {
      return;
    }
    if (after > 0) {
      events.record(policy, EventRecorder.Type.Warning, PolicyEventReason.ViolationsFound,
          "Evaluate", next.getMessage());
    } else if (next.getHealthScore() != null) {
      events.record(policy, EventRecorder.Type.Normal, PolicyEventReason.ViolationsCleared,
          "Evaluate", next.getMessage());
    }
  }

  /** Identity and status only: JOSDK applies it to /status with server-side apply. */
  private static DevOpsPolicy statusOnly(DevOpsPolicy policy, DevOpsPolicyStatus status) {
    DevOpsPolicy patch = new DevOpsPolicy();
    patch.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName())
        .withNamespace(policy.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }

  private static KubeObject tree(DevOpsPolicy policy) {
    return ObjectTrees.kubeObject(Serialization.jsonMapper().valueToTree(policy),
        "DevOpsPolicy " + policy.getMetadata().getNamespace() + "/"
            + policy.getMetadata().getName());
  }
}
