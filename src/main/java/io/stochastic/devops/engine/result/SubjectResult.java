package io.stochastic.devops.engine.result;

import io.stochastic.devops.engine.input.KubeObject;
import java.util.List;

/** The results of every applicable check on one audited object (a workload, or an RBAC object...). */
public record SubjectResult(KubeObject object, List<CheckResult> results) {
  public SubjectResult {
    results = List.copyOf(results);
  }

  public Score score() {
    return Score.of(results);
  }

  public List<CheckResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }
}
