package io.stochastic.devops.engine.result;

import java.util.List;

/**
 * The outcome of judging a set of objects.
 *
 * @param subjects the objects audited, in input order
 * @param skipped objects read but judged by no check (Services, custom resources...)
 * @param exempt workloads skipped by an exemption annotation or for being in a system namespace
 */
public record AuditResult(List<SubjectResult> subjects, int skipped, int exempt) {
  public AuditResult {
    subjects = List.copyOf(subjects);
  }

  public Score score() {
    Score total = new Score();
    for (SubjectResult subject : subjects) {
      for (CheckResult result : subject.results()) {
        total.add(result);
      }
    }
    return total;
  }
}
