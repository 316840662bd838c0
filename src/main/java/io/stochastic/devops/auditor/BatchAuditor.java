package io.stochastic.devops.auditor;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyRef;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.kube.ClusterAudit;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.KubeAccessException;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch auditor: one run of {@code kube-devops auditor run}. It audits the cluster
 * ({@link ClusterAudit}), then writes what the run found — one PolicyAuditResult per
 * DevOpsPolicy (older ones beyond the history limit pruned), a PolicyReport per namespace, and
 * the scores to a Pushgateway — each output independent of the others' failures:
 *
 * <ul>
 *   <li>a result that cannot be written is reported, counted in the metrics, and the run goes on;
 *   <li>a Pushgateway that is down does not stop the results from being written;
 *   <li>each object is written whole in one request, and older results are pruned only after the
 *       new one exists, so a run stopped half-way leaves complete objects only.
 * </ul>
 * A run with any failed output ends with {@link Outcome#failures()} not empty.
 */
public final class BatchAuditor {
  private static final Logger LOG = LoggerFactory.getLogger(BatchAuditor.class);

  /**
   * @param namespace the namespace to audit, or null for all
   * @param writeResults write PolicyAuditResults
   * @param policyReports write wgpolicyk8s.io PolicyReports
   * @param publisher where the metrics go, or null for nowhere
   */
  public record Settings(String clusterName, String namespace, boolean writeResults,
      boolean policyReports, PolicyAuditResultWriter.Limits resultLimits,
      PushgatewayPublisher publisher) {}

  /**
   * What one run did.
   *
   * @param failures one line per output that failed (a result, a report, the push)
   */
  public record Outcome(ClusterAudit.Outcome audit, AuditRunSummary summary, int resultsWritten,
      int resultsPruned, int reportsWritten, boolean pushed, List<String> failures,
      Duration writing) {}

  private final ClusterAudit audit;
  private final Clock clock;
  private final Set<String> systemNamespaces;

  /** @param systemNamespaces never audited, so never reported on */
  public BatchAuditor(ClusterAudit audit, Clock clock, Set<String> systemNamespaces) {
    this.audit = audit;
    this.clock = clock;
    this.systemNamespaces = Set.copyOf(systemNamespaces);
  }

  /** The namespaces of the cluster (or the one audited), live and being deleted. */
  record Namespaces(List<String> active, List<String> terminating) {
    static Namespaces read(ClusterSession session, String only) {
      List<String> active = new ArrayList<>();
      List<String> terminating = new ArrayList<>();
      List<io.fabric8.kubernetes.api.model.Namespace> items = only != null
          ? java.util.Optional.ofNullable(session.request("reading namespace " + only,
              () -> session.client().namespaces().withName(only).get())).stream().toList()
          : session.request("listing namespaces",
              () -> session.client().namespaces().list()).getItems();
      for (var namespace : items) {
        boolean deleting = namespace.getMetadata().getDeletionTimestamp() != null
            || namespace.getStatus() != null
            && "Terminating".equals(namespace.getStatus().getPhase());
        (deleting ? terminating : active).add(namespace.getMetadata().getName());
      }
      return new Namespaces(active, terminating);
    }
  }

  /** Audits the cluster and writes the outputs the settings ask for. */
  public Outcome run(ClusterSession session, EffectivePolicy fallback, Settings settings,
      Consumer<String> warn) {
    Instant started = clock.instant();
    ClusterAudit.Outcome audited = audit.run(session, settings.clusterName(),
        settings.namespace(), null, fallback, what -> LOG.debug("listing {}", what), warn);
    long writingStarted = System.nanoTime();
    Instant auditTime = clock.instant();
    Map<String, AuditResult> byNamespace = new TreeMap<>(audited.byNamespace());
    byNamespace.remove(""); // cluster-scoped objects: in the cluster score, in no namespace
    Map<String, PolicyRef> governed = new TreeMap<>(audited.policies().governed());
    // Every live namespace appears (an empty one scores 100), a policy's namespace gets its
    // result; a namespace being deleted takes no new object, so it gets none.
    Namespaces namespaces = Namespaces.read(session, settings.namespace());
    namespaces.active().stream().filter(ns -> !systemNamespaces.contains(ns))
        .forEach(ns -> byNamespace.putIfAbsent(ns, new AuditResult(List.of(), 0, 0, 0)));
    governed.keySet().forEach(ns -> byNamespace.putIfAbsent(ns, new AuditResult(
        List.of(), 0, 0, 0)));
    for (String terminating : namespaces.terminating()) {
      if (byNamespace.remove(terminating) != null | governed.remove(terminating) != null) {
        LOG.info("namespace {} is being deleted: no result or report written there",
            terminating);
      }
    }

    List<String> failures = new ArrayList<>();
    int written = 0;
    int pruned = 0;
    int writeFailures = 0;
    int reports = 0;
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS, runnable -> {
      Thread thread = new Thread(runnable, "kube-devops-writer");
      thread.setDaemon(true);
      return thread;
    });
    try {
      if (settings.writeResults()) {
        var writer = new PolicyAuditResultWriter(session.client(), settings.resultLimits(),
            WriteRetry.defaults());
        for (Written<PolicyAuditResultWriter.Outcome> w : inParallel(writers,
            List.copyOf(governed.values()), ref -> writer.write(policyObject(ref),
                byNamespace.get(ref.namespace()), settings.clusterName(), auditTime))) {
          if (w.failure() != null) {
            writeFailures++;
            failures.add(w.failure());
            continue;
          }
          written++;
          pruned += w.value().pruned().size();
          LOG.info("wrote PolicyAuditResult {}/{} (score {}){}",
              w.value().written().getMetadata().getNamespace(),
              w.value().written().getMetadata().getName(),
              w.value().written().getSpec().getScore(), w.value().pruned().isEmpty() ? ""
                  : ", pruned " + w.value().pruned().size());
        }
      }
      if (settings.policyReports()) {
        var reporter = new PolicyReportWriter(session.client(),
            PolicyReportWriter.Limits.DEFAULT, WriteRetry.defaults());
        List<String> reported = new ArrayList<>();
        List<Written<String>> results = inParallel(writers, List.copyOf(byNamespace.keySet()),
            ns -> {
          String policyName = governed.containsKey(ns) ? governed.get(ns).name()
              : audited.policies().fallback().name();
          reporter.write(ns, policyName, byNamespace.get(ns), auditTime);
          return ns;
        });
        for (Written<String> w : results) {
          if (w.failure() != null) {
            failures.add(w.failure());
          } else {
            reports++;
            reported.add(w.value());
          }
        }
        if (settings.namespace() == null) {
          try {
            reporter.deleteStale(reported)
                .forEach(r -> LOG.info("deleted stale PolicyReport {}", r));
          } catch (KubeAccessException e) {
            failures.add(e.getMessage());
            LOG.debug("{}", e.getMessage());
          }
        }
      }
    } finally {
      writers.shutdownNow();
    }
    AuditRunSummary.Builder summary = AuditRunSummary.builder(settings.clusterName());
    for (var entry : byNamespace.entrySet()) {
      PolicyRef ref = governed.get(entry.getKey());
      summary.namespace(entry.getKey(), ref == null ? null : ref.name(), entry.getValue());
    }
    summary.resultsWritten(written, writeFailures);
    Instant finished = clock.instant();
    AuditRunSummary built = summary.build(Duration.between(started, finished), finished);
    boolean pushed = false;
    if (settings.publisher() != null) {
      try {
        settings.publisher().publish(built);
        pushed = true;
        LOG.info("pushed the scores of {} namespaces to the Pushgateway", byNamespace.size());
      } catch (PushgatewayException e) {
        failures.add(e.getMessage());
        LOG.debug("{}", e.getMessage());
      }
    }
    return new Outcome(audited, built, written, pruned, reports, pushed, failures,
        Duration.ofNanos(System.nanoTime() - writingStarted));
  }

  /** Writes in flight at once: the API server answers each in a few ms, one after the other. */
  private static final int WRITERS = 8;

  /** One write's value, or the one line saying why it failed. */
  private record Written<T>(T value, String failure) {}

  /** Applies {@code write} to every item on the pool; results in the items' order. */
  private static <I, T> List<Written<T>> inParallel(ExecutorService pool, List<I> items,
      java.util.function.Function<I, T> write) {
    List<Future<T>> futures = new ArrayList<>();
    for (I item : items) {
      futures.add(pool.submit(() -> write.apply(item)));
    }
    List<Written<T>> results = new ArrayList<>();
    for (Future<T> future : futures) {
      try {
        results.add(new Written<>(future.get(), null));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof KubeAccessException failure)) {
          throw e.getCause() instanceof RuntimeException r ? r
              : new IllegalStateException(e.getCause());
        }
        LOG.debug("{}", failure.getMessage());
        results.add(new Written<>(null, failure.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing results", e);
      }
    }
    return results;
  }

  /** The policy as the writer needs it: enough of its metadata to own its results. */
  private static DevOpsPolicy policyObject(PolicyRef ref) {
    DevOpsPolicy policy = new DevOpsPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(ref.name())
        .withNamespace(ref.namespace()).withUid(ref.uid()).withGeneration(ref.generation())
        .build());
    return policy;
  }
}
