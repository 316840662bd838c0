package io.stochastic.devops.kube;

import io.stochastic.devops.api.FieldManagers;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies DevOpsPolicies with server-side apply under the field manager {@code
 * kube-devops-sync} (DESIGN.md §4), or says what that would change (a server-side dry run). One
 * refused policy does not stop the others: its error is reported with the results.
 */
public final class PolicyImporter {
  /** The field manager of everything that applies policies from Git (DESIGN.md §4, contract). */
  public static final String FIELD_MANAGER = FieldManagers.SYNC;

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

  public Report apply(List<DesiredPolicy> policies, boolean dryRun, boolean force) {
    List<ApplyResult> results = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (DesiredPolicy policy : policies) {
      try {
        results.add(applier.apply(policy.object(), policy.namespace(), policy.source(), dryRun,
            force));
      } catch (ClusterRequestException e) {
        failures.add(new Failure(policy, conflictHint(e)));
      }
    }
    return new Report(results, failures);
  }

  private static String conflictHint(ClusterRequestException e) {
    return e.code() == 409 && e.getMessage().contains("Apply failed")
        ? e.getMessage() + " (--force-conflicts takes the fields over)" : e.getMessage();
  }
}
