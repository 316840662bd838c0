package io.stochastic.devops.engine.result;

import io.stochastic.devops.engine.input.KubeObject;
import java.util.List;

/**
 * The results of every applicable check on one audited object (a workload, or an RBAC object...).
 *
 * @param workload whether the object was judged as a workload: a built-in kind that runs pods, a
 *     bare pod, or a custom kind a policy or the command line declared
 */
public record SubjectResult(KubeObject object, List<CheckResult> results, boolean workload) {
  public SubjectResult {
    results = List.copyOf(results);
  }

  /** A result for an object that is a workload if its kind is a built-in workload kind. */
  public SubjectResult(KubeObject object, List<CheckResult> results) {
    this(object, results, AuditResult.isWorkload(object));
  }

  public Score score() {
    return Score.of(results);
  }

  public List<CheckResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }
}
