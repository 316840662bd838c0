package io.stochastic.devops.engine.result;

import io.stochastic.devops.engine.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * The CI gate of an audit ({@code --fail-below}, {@code --fail-on}): why a result fails it, if it
 * does. The same gate serves the offline audit and the cluster audits.
 *
 * @param failBelow fail when the score is below this (null: no minimum)
 * @param failOn fail when a finding is at or above this severity (null: none)
 * @param failOnEmpty fail when nothing was audited (an empty pipe must not pass)
 */
public record PolicyGate(Integer failBelow, Severity failOn, boolean failOnEmpty) {
  public PolicyGate(Integer failBelow, Severity failOn) {
    this(failBelow, failOn, false);
  }

  public PolicyGate {
    if (failBelow != null && (failBelow < 0 || failBelow > 100)) {
      throw new IllegalArgumentException("--fail-below must be between 0 and 100, not "
          + failBelow);
    }
  }

  /** Why {@code score} and {@code results} fail the gate; empty when they pass. */
  public List<String> reasons(Score score, List<SubjectResult> results) {
    List<String> reasons = new ArrayList<>();
    if (failOnEmpty && results.isEmpty()) {
      reasons.add("no workloads were audited (--fail-on-empty)");
    }
    if (failBelow != null && score.value() < failBelow) {
      reasons.add("score " + score.value() + " is below " + failBelow);
    }
    if (failOn != null) {
      long atOrAbove = results.stream().flatMap(s -> s.results().stream())
          .filter(r -> !r.passed() && r.severity().isAtLeast(failOn)).count();
      if (atOrAbove > 0) {
        reasons.add(atOrAbove + (atOrAbove == 1 ? " finding is" : " findings are")
            + " at or above " + failOn.id());
      }
    }
    return reasons;
  }
}
