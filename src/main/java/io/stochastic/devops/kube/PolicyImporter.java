package io.stochastic.devops.kube;

import io.stochastic.devops.api.FieldManagers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Applies DevOpsPolicies with server-side apply under the field manager {@code
 * kube-devops-sync} (DESIGN.md §4), or says what that would change (a server-side dry run). One
 * refused policy does not stop the others: its error is reported with the results. Several
 * policies are applied a few at a time ({@link #PARALLELISM}), reported in their order.
 */
public final class PolicyImporter {
  /** The field manager of everything that applies policies from Git (DESIGN.md §4, contract). */
  public static final String FIELD_MANAGER = FieldManagers.SYNC;

  /**
   * Policies applied at once. Each apply is two round trips (read, then server-side apply) to
   * one API server: one at a time, the 1,000 policies of a first sync took 17-20 s to apply,
   * four at a time 13-16 s on two cores shared with the API server (docs/benchmarks.md).
   */
  static final int PARALLELISM = 4;
  private static final ThreadFactory APPLY_THREADS = task -> {
    Thread thread = new Thread(task, "policy-apply");
    thread.setDaemon(true);
    return thread;
  };

  private final ServerSideApplier applier;

  public PolicyImporter(ClusterSession cluster, ObjectYaml yaml) {
    this.applier = new ServerSideApplier(cluster, ApiResources.DEVOPS_POLICY, FIELD_MANAGER,
        yaml);
  }

  /** What applying the policies did (or would do), and which ones the cluster refused. */
  public record Report(List<ApplyResult> results, List<Failure> failures) {
    public Report {
      results = List.copyOf(results);
      failures = List.copyOf(failures);
    }
  }

  /** A policy the cluster refused, and why (one line). */
  public record Failure(DesiredPolicy policy, String message) {}

  /**
   * Applies {@code policies}, up to {@link #PARALLELISM} at a time; the results and failures are
   * in the order of {@code policies}. A cluster that cannot be reached (a {@link
   * KubeAccessException} other than a refused request) ends the call with that exception.
   */
  public Report apply(List<DesiredPolicy> policies, boolean dryRun, boolean force) {
    List<Outcome> outcomes = new ArrayList<>();
    if (policies.size() <= 1) {
      policies.forEach(policy -> outcomes.add(applyOne(policy, dryRun, force)));
    } else {
      outcomes.addAll(applyAll(policies, dryRun, force));
    }
    List<ApplyResult> results = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (outcome.result() != null) {
        results.add(outcome.result());
      } else {
        failures.add(outcome.failure());
      }
    }
    return new Report(results, failures);
  }

  /** One policy's result, or its failure when the cluster refused it. */
  private record Outcome(ApplyResult result, Failure failure) {}

  private Outcome applyOne(DesiredPolicy policy, boolean dryRun, boolean force) {
    try {
      return new Outcome(applier.apply(policy.object(), policy.namespace(), policy.source(),
          dryRun, force), null);
    } catch (ClusterRequestException e) {
      return new Outcome(null, new Failure(policy, conflictHint(e)));
    }
  }

  private List<Outcome> applyAll(List<DesiredPolicy> policies, boolean dryRun, boolean force) {
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(PARALLELISM, policies.size()), APPLY_THREADS);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (DesiredPolicy policy : policies) {
        futures.add(pool.submit(() -> applyOne(policy, dryRun, force)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get());
      }
      return outcomes;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeAccessException("interrupted while applying policies", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String conflictHint(ClusterRequestException e) {
    return e.code() == 409 && e.getMessage().contains("Apply failed")
        ? e.getMessage() + " (--force-conflicts takes the fields over)" : e.getMessage();
  }
}
