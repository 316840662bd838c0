package io.stochastic.devops.cli;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.PolicyGate;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --fail-below}, {@code --fail-on} and {@code --fail-on-empty}: the gate of the cluster audits. */
final class GateOptions {
  @Option(names = "--fail-below", paramLabel = "SCORE",
      description = "Exit 1 when the overall score is below SCORE (0-100).")
  Integer failBelow;

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Exit 1 when a finding is at or above SEVERITY (critical, high, medium, low).")
  String failOn;

  @Option(names = "--fail-on-empty",
      description = "Exit 1 when no workload was audited (a namespace or cluster with none).")
  boolean failOnEmpty;

  PolicyGate gate() {
    Severity severity = null;
    if (failOn != null) {
      try {
        severity = Severity.parse(failOn);
      } catch (IllegalArgumentException e) {
        throw new UserException("--fail-on: " + e.getMessage());
      }
    }
    try {
      return new PolicyGate(failBelow, severity, failOnEmpty);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
  }

  /** Exit code 1 with the reasons on {@code err} when the results fail the gate, else 0. */
  static int apply(PolicyGate gate, Score score, List<SubjectResult> results, PrintWriter err) {
    List<String> reasons = gate.reasons(score, results);
    if (reasons.isEmpty()) {
      return ExitCode.OK;
    }
    err.println("policy gate failed: " + String.join("; ", reasons));
    err.flush();
    return ExitCode.POLICY_FAILED;
  }
}
