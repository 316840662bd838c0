package io.stochastic.devops.kube;

import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyLookup;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.engine.result.AuditResult;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
   * @param objects how many objects of each resource were listed
   */
  public record Outcome(String cluster, AuditResult result, PolicyLookup policies,
      ObjectSet objects, Map<String, Integer> counts, Duration listing, Duration judging) {}

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
    progress.accept("devopspolicies");
    PolicyLookup policies = fixedPolicy != null ? NamespacePolicies.single(fixedPolicy)
        : ClusterPolicies.read(session, clusterName, namespace, fallback, resolved, warn);
    Set<String> kinds = new TreeSet<>(policies.fallback().kindsRead());
    if (policies instanceof NamespacePolicies byNamespace) {
      byNamespace.byNamespace().values().forEach(p -> kinds.addAll(p.kindsRead()));
    }
    ClusterObjectSource source = new ClusterObjectSource(session, clusterName, namespace,
        ClusterObjectSource.resourcesFor(kinds), pageSize, progress);
    ObjectSet objects = source.read();
    long listed = System.nanoTime();
    AuditResult result = engine.audit(objects, policies);
    long judged = System.nanoTime();
    return new Outcome(clusterName, result, policies, objects, source.counts(),
        Duration.ofNanos(listed - started), Duration.ofNanos(judged - listed));
  }
}
