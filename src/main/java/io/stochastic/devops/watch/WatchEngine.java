package io.stochastic.devops.watch;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.CachedObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.ClusterResource;
import io.stochastic.devops.kube.ResourceInformer;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.metrics.WatchMetrics.PodEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch engine: informers on pods, the workload kinds, the objects the checks read and the
 * DevOpsPolicies, and live scores of every namespace that runs a pod or a workload and of the
 * cluster, judged by the same engine and policy resolution as {@code analyze} (each namespace
 * under its DevOpsPolicy, the fallback bundle elsewhere; system namespaces never).
 *
 * <p>An informer event only marks its namespace changed ({@link DirtyNamespaces}); {@link
 * #round()}, called by one worker every {@link WatchSettings#coalesce()}, evaluates each changed
 * namespace once, whatever the number of events: a 10,000-pod cluster whose kubelets write pod
 * statuses all the time costs an evaluation per busy namespace per round, not per write. Every
 * {@link WatchSettings#resync()} every namespace is evaluated again, for what changes with time
 * alone ({@code pendingTooLong}).
 *
 * <p>Rounds run, and pod changes are counted, only while {@code leading} says so: a follower
 * keeps its caches warm and publishes nothing, and its first round as leader evaluates every
 * namespace.
 */
public final class WatchEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchEngine.class);
  /** How long the informers' first lists may take before the start is given up. */
  public static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private final Engine engine;
  private final ResolvedPolicies resolved;
  private final EffectivePolicy fallback;
  private final WatchSettings settings;
  private final WatchMetrics metrics;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final Map<ClusterResource, ResourceInformer> informers =
      new EnumMap<>(ClusterResource.class);
  private ResourceInformer policies;
  private final DirtyNamespaces dirty = new DirtyNamespaces();
  /** The last failure of each namespace that could not be evaluated, to log it once. */
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private volatile ClusterScores scores = ClusterScores.EMPTY;
  private volatile boolean synced;
  private Instant lastFullRound;

  private WatchEngine(Engine engine, ResolvedPolicies resolved, EffectivePolicy fallback,
      WatchSettings settings, WatchMetrics metrics, BooleanSupplier leading, Clock clock) {
    this.engine = engine;
    this.resolved = resolved;
    this.fallback = fallback;
    this.settings = settings;
    this.metrics = metrics;
    this.leading = leading;
    this.clock = clock;
  }

  /**
   * Starts the informers and returns once every cache holds its first list.
   *
   * @param resources the namespaced resources to watch ({@link CachedObjectSource#resourcesFor})
   * @param fallback the policy of namespaces without a DevOpsPolicy
   * @param leading whether this replica may publish (it holds the Lease, or there is no
   *     election)
   * @throws io.stochastic.devops.kube.KubeAccessException when a resource cannot be listed or
   *     watched: one line naming it
   */
  public static WatchEngine start(ClusterSession session, Engine engine,
      ResolvedPolicies resolved, EffectivePolicy fallback, Set<ClusterResource> resources,
      WatchSettings settings, WatchMetrics metrics, BooleanSupplier leading, Clock clock) {
    WatchEngine watch = new WatchEngine(engine, resolved, fallback, settings, metrics, leading,
        clock);
    KubernetesClient client = session.client();
    for (ClusterResource resource : resources) {
      if (resource.namespaced()) {
        ResourceInformer.requireListable(session, resource.context(), settings.namespaces());
        watch.informers.put(resource, ResourceInformer.of(client, resource.context(),
            settings.namespaces(), watch.handler(resource)));
      }
    }
    watch.policies = ResourceInformer.of(client, ApiResources.DEVOPS_POLICY,
        settings.namespaces(), watch.handler(null));
    List<ResourceInformer> all = new ArrayList<>(watch.informers.values());
    all.add(watch.policies);
    ResourceInformer.startAll(all, SYNC_TIMEOUT);
    watch.synced = true;
    return watch;
  }

  /** The scores as the last round left them. */
  public ClusterScores scores() {
    return scores;
  }

  /** Namespaces changed and not evaluated yet. */
  public int pending() {
    return dirty.size();
  }

  /** @param resource null for the DevOpsPolicies */
  private ResourceEventHandler<GenericKubernetesResource> handler(ClusterResource resource) {
    boolean pods = resource == ClusterResource.POD;
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource object) {
        if (changed(object) && pods && counting()) {
          metrics.podEvent(PodEvent.ADDED);
        }
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        if (Objects.equals(before.getMetadata().getResourceVersion(),
            after.getMetadata().getResourceVersion())) {
          return; // a resync of the informer, not a change
        }
        if (changed(after) && pods && counting()) {
          metrics.podEvent(PodEvent.UPDATED);
          PodChanges changes = PodChanges.between(status(before), status(after));
          metrics.containerRestarts(changes.restarts());
          changes.entered().forEach(metrics::transition);
        }
      }

      @Override
      public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
        if (changed(object) && pods && counting()) {
          metrics.podEvent(PodEvent.DELETED);
        }
      }
    };
  }

  /** Marks the object's namespace changed; false for an object of a namespace never judged. */
  private boolean changed(GenericKubernetesResource object) {
    String namespace = object.getMetadata().getNamespace();
    if (ignored(namespace)) {
      return false;
    }
    dirty.mark(namespace);
    return true;
  }

  /** Pod changes count once the first lists are in (they are history, not changes). */
  private boolean counting() {
    return synced && leading.getAsBoolean();
  }

  private boolean ignored(String namespace) {
    return namespace == null || engine.settings().systemNamespaces().contains(namespace);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource pod) {
    Object status = pod.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  /**
   * Evaluates the namespaces changed since the last round (all of them on the first round and
   * every resync) and publishes their scores and the cluster's.
   *
   * @return how many namespaces were evaluated
   */
  public synchronized int round() {
    Instant now = clock.instant();
    if (lastFullRound == null
        || Duration.between(lastFullRound, now).compareTo(settings.resync()) >= 0) {
      dirty.markAll(namespacesRunningWorkloads());
      dirty.markAll(scores.namespaces().keySet());
      lastFullRound = now;
    }
    Set<String> batch = dirty.drain();
    if (batch.isEmpty()) {
      return 0;
    }
    long started = System.nanoTime();
    Map<String, String> broken = new TreeMap<>();
    NamespacePolicies lookup = lookup(broken);
    Map<String, NamespaceScore> updated = new TreeMap<>();
    List<String> removed = new ArrayList<>();
    for (String namespace : batch) {
      NamespaceScore before = scores.namespaces().get(namespace);
      if (!runsWorkloads(namespace)) {
        removed.add(namespace);
        metrics.forgetNamespace(namespace);
        failures.remove(namespace);
        if (before != null) {
          LOG.atInfo().addKeyValue("namespace", namespace)
              .log("namespace {}: no pod or workload left; its scores are removed", namespace);
        }
        continue;
      }
      try {
        if (broken.containsKey(namespace)) {
          throw new EngineException(broken.get(namespace));
        }
        AuditResult result = engine.audit(
            new CachedObjectSource(informers, namespace).read(), lookup);
        NamespaceScore score = NamespaceScore.of(namespace, result);
        updated.put(namespace, score);
        metrics.namespace(namespace, score.value(), score.violationsBySeverity(),
            score.workloads());
        if (failures.remove(namespace) != null || before == null || changed(before, score)) {
          LOG.atInfo().addKeyValue("namespace", namespace)
              .log("namespace {}: score {} ({}), {} violations, {} workloads", namespace,
                  score.value(), score.classification(), score.violations(),
                  score.workloads());
        }
      } catch (RuntimeException e) {
        // not retried before the next change or resync: a broken policy stays broken
        metrics.evaluationFailed();
        metrics.forgetNamespace(namespace);
        removed.add(namespace);
        String message = e instanceof EngineException ? e.getMessage() : e.toString();
        if (!message.equals(failures.put(namespace, message))) {
          LOG.atWarn().addKeyValue("namespace", namespace)
              .log("namespace {}: cannot be evaluated, no score: {}", namespace, message);
        }
      }
    }
    scores = scores.with(updated, removed);
    metrics.clusterScore(scores.cluster().value());
    metrics.pods(podPhases());
    metrics.round(batch.size(), Duration.ofNanos(System.nanoTime() - started), clock.instant());
    return batch.size();
  }

  private static boolean changed(NamespaceScore before, NamespaceScore after) {
    return before.value() != after.value() || before.violations() != after.violations()
        || before.workloads() != after.workloads();
  }

  /**
   * The policies of the watched namespaces, as {@code analyze} reads them. A policy that cannot
   * be resolved (a custom check that does not compile) must not stop every namespace: its
   * namespace goes into {@code broken} with the reason, the others are judged.
   */
  private NamespacePolicies lookup(Map<String, String> broken) {
    List<KubeObject> all = policies.all().map(WatchEngine::policy).toList();
    try {
      return NamespacePolicies.of(all, fallback, resolved);
    } catch (EngineException e) {
      List<KubeObject> valid = new ArrayList<>();
      for (KubeObject policy : all) {
        try {
          NamespacePolicies.of(List.of(policy), fallback, resolved);
          valid.add(policy);
        } catch (EngineException invalid) {
          broken.put(policy.namespace(), "DevOpsPolicy " + policy.name() + ": "
              + invalid.getMessage());
        }
      }
      return NamespacePolicies.of(valid, fallback, resolved);
    }
  }

  private static KubeObject policy(GenericKubernetesResource item) {
    return ObjectTrees.kubeObject(Serialization.jsonMapper().valueToTree(item),
        "DevOpsPolicy " + item.getMetadata().getNamespace() + "/" + item.getMetadata().getName());
  }

  /** Whether the namespace holds a pod or an object of a workload kind. */
  private boolean runsWorkloads(String namespace) {
    for (var entry : informers.entrySet()) {
      if (entry.getKey().workload() && entry.getValue().list(namespace).findAny().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private Set<String> namespacesRunningWorkloads() {
    Set<String> namespaces = new TreeSet<>();
    informers.forEach((resource, informer) -> {
      if (resource.workload()) {
        informer.all().map(o -> o.getMetadata().getNamespace())
            .filter(ns -> !ignored(ns)).forEach(namespaces::add);
      }
    });
    return namespaces;
  }

  private Map<String, Integer> podPhases() {
    Map<String, Integer> phases = new HashMap<>();
    ResourceInformer pods = informers.get(ClusterResource.POD);
    if (pods != null) {
      pods.all().filter(p -> !ignored(p.getMetadata().getNamespace())).forEach(pod -> {
        Map<String, Object> status = status(pod);
        Object phase = status == null ? null : status.get("phase");
        phases.merge(phase == null ? "Pending" : phase.toString(), 1, Integer::sum);
      });
    }
    return phases;
  }

  /** Stops the informers. */
  @Override
  public void close() {
    informers.values().forEach(ResourceInformer::close);
    if (policies != null) {
      policies.close();
    }
  }
}
