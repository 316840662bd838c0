package io.stochastic.devops.engine.policy.lint;

import java.util.List;

/**
 * What {@code policy lint} found in a set of files.
 *
 * @param problems every problem, ordered by file, document, line and field
 * @param files files read
 * @param policies DevOpsPolicy documents linted
 * @param ignored other documents, which are not policies and were skipped
 */
public record LintReport(List<LintProblem> problems, int files, int policies, int ignored) {
  public LintReport {
    problems = List.copyOf(problems);
  }

  /** Documents that could not be read at all (problems of rule {@link LintRule#UNREADABLE}). */
  public long unreadable() {
    return problems.stream().filter(p -> p.rule() == LintRule.UNREADABLE).count();
  }

  public long errors() {
    return count(LintSeverity.ERROR);
  }

  public long warnings() {
    return count(LintSeverity.WARNING);
  }

  private long count(LintSeverity severity) {
    return problems.stream().filter(p -> p.severity() == severity).count();
  }
}
