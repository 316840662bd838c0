package io.stochastic.devops.kube;

import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.input.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyLookup;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.engine.result.AuditResult;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One audit of a live cluster — what {@code analyze}, {@code multi-cluster analyze} and the batch
 * auditor share: read the policies, list what they need ({@link ClusterObjectSource}), judge it
 * with the engine. Nothing here is specific to how the result is shown or stored.
 */
public final class ClusterAudit {
  private final Engine engine;
  private final ResolvedPolicies resolved;
  private final long pageSize;

  public ClusterAudit(Engine engine, ResolvedPolicies resolved, long pageSize) {
    this.engine = engine;
    this.resolved = resolved;
    this.pageSize = pageSize;
  }

  /**
   * What was judged, under which policies, and how long each phase took.
   *
   * @param result every namespace's results together, namespace by namespace
   * @param byNamespace each namespace's own results, cluster-scoped objects under {@code ""};
   *     every namespace with an object listed is there
   * @param counts how many objects of each resource were listed
   */
  public record Outcome(String cluster, AuditResult result, Map<String, AuditResult> byNamespace,
      PolicyLookup policies, Map<String, Integer> counts, Duration listing, Duration judging) {}

  /**
   * Audits {@code namespace} of the cluster (null: every namespace).
   *
   * @param fixedPolicy applied to every namespace ({@code --policy}); null to judge each
   *     namespace under its DevOpsPolicy and {@code fallback} elsewhere
   * @param progress told what is being listed; warn told what is worth a warning
   */
  public Outcome run(ClusterSession session, String clusterName, String namespace,
      EffectivePolicy fixedPolicy, EffectivePolicy fallback, Consumer<String> progress,
      Consumer<String> warn) {
    long started = System.nanoTime();
    if (namespace != null) {
      requireNamespace(session, clusterName, namespace);
    }
    progress.accept("devopspolicies");
    PolicyLookup policies = fixedPolicy != null ? NamespacePolicies.single(fixedPolicy)
        : ClusterPolicies.read(session, clusterName, namespace, fallback, resolved, warn);
    ClusterObjectSource source = new ClusterObjectSource(session, clusterName, namespace,
        ClusterObjectSource.resourcesRead(policies.checkDefinitions().values()), pageSize,
        progress);
    ObjectSet objects = source.read();
    long listed = System.nanoTime();
    Map<String, AuditResult> byNamespace = judgeByNamespace(objects, policies);
    long judged = System.nanoTime();
    AuditResult.Builder all = new AuditResult.Builder();
    byNamespace.values().forEach(all::add);
    return new Outcome(clusterName, all.build(),
        byNamespace, policies, source.counts(), Duration.ofNanos(listed - started),
        Duration.ofNanos(judged - listed));
  }

  /**
   * A namespace that does not exist is a mistake (a typo must not pass a gate with an empty
   * audit); one that cannot be read (no {@code get} on namespaces) is given the benefit of doubt.
   */
  private static void requireNamespace(ClusterSession session, String clusterName,
      String namespace) {
    try {
      if (session.request("reading namespace " + namespace,
          () -> session.client().namespaces().withName(namespace).get()) == null) {
        throw new KubeAccessException("namespace '" + namespace + "' not found in cluster "
            + clusterName + " (context " + session.context() + ")");
      }
    } catch (ClusterRequestException e) {
      if (e.code() != 403) {
        throw e;
      }
    }
  }

  /**
   * Judges each namespace on its own — its objects, and the cluster-scoped ones its checks may
   * look up — so that each has its own counts (exempt, owned) for its PolicyAuditResult and
   * metrics; namespaces are judged on {@link EngineSettings#parallelism()} threads.
   */
  private Map<String, AuditResult> judgeByNamespace(ObjectSet objects, PolicyLookup policies) {
    Map<String, List<KubeObject>> groups = new TreeMap<>();
    List<KubeObject> clusterScoped = new ArrayList<>();
    for (KubeObject object : objects.objects()) {
      if (object.namespace() == null) {
        clusterScoped.add(object);
      } else {
        groups.computeIfAbsent(object.namespace(), n -> new ArrayList<>()).add(object);
      }
    }
    List<KubeObject> context = new ArrayList<>(clusterScoped);
    context.addAll(objects.contextOnly());
    Map<String, ObjectSet> sets = new TreeMap<>();
    groups.forEach((namespace, group) -> sets.put(namespace, new ObjectSet(group, context)));
    if (!clusterScoped.isEmpty()) {
      sets.put("", new ObjectSet(clusterScoped, objects.contextOnly()));
    }
    Map<String, AuditResult> results = new TreeMap<>();
    int threads = Math.max(1, Math.min(engine.settings().parallelism(), sets.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "kube-devops-namespace");
      thread.setDaemon(true);
      return thread;
    });
    try {
      Map<String, Future<AuditResult>> futures = new TreeMap<>();
      sets.forEach((namespace, set) ->
          futures.put(namespace, pool.submit(() -> engine.audit(set, policies))));
      for (var entry : futures.entrySet()) {
        results.put(entry.getKey(), entry.getValue().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("audit interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return results;
  }
}
