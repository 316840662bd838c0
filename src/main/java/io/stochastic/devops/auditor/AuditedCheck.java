package io.stochastic.devops.auditor;

import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** One check result with the object it judged: a row of what the writers store. */
record AuditedCheck(KubeObject object, CheckResult result) {
  /**
   * Most severe first, then by object (kind, namespace, name), container, check and message:
   * a stable order, so that a cap keeps the same findings from one run to the next.
   */
  static final Comparator<AuditedCheck> MOST_SEVERE_FIRST =
      Comparator.<AuditedCheck, Integer>comparing(c -> c.result().severity().ordinal())
          .thenComparing(c -> c.object().kind(), nullsFirst())
          .thenComparing(c -> c.object().namespace(), nullsFirst())
          .thenComparing(c -> c.object().name(), nullsFirst())
          .thenComparing(c -> c.result().container(), nullsFirst())
          .thenComparing(c -> c.result().check(), nullsFirst())
          .thenComparing(c -> c.result().message(), nullsFirst());

  /** The results of {@code audit} that {@code keep} accepts, sorted most severe first. */
  static List<AuditedCheck> sorted(AuditResult audit, Predicate<CheckResult> keep,
      Comparator<AuditedCheck> order) {
    List<AuditedCheck> rows = new ArrayList<>();
    for (SubjectResult subject : audit.subjects()) {
      for (CheckResult result : subject.results()) {
        if (keep.test(result)) {
          rows.add(new AuditedCheck(subject.object(), result));
        }
      }
    }
    rows.sort(order);
    return rows;
  }

  private static Comparator<String> nullsFirst() {
    return Comparator.nullsFirst(Comparator.naturalOrder());
  }
}
