package io.stochastic.devops.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.v1.DevOpsPolicyStatus;
import io.stochastic.devops.v1.devopspolicystatus.Conditions;
import io.stochastic.devops.v1.devopspolicystatus.ViolationsBySeverity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A DevOpsPolicy's {@code .status} from an evaluation of its namespace — pure functions, so that
 * what the status says is tested without a cluster. Conditions keep their
 * {@code lastTransitionTime} while their status stays the same, as metav1.Condition wants.
 */
public final class PolicyStatuses {
  public static final String READY = "Ready";
  public static final String COMPLIANT = "Compliant";

  /** The reasons of the {@link #READY} and {@link #COMPLIANT} conditions. */
  public enum Reason {
    /** Ready: the namespace was evaluated under this policy. */
    Evaluated,
    /** Ready false: the policy cannot be resolved (a custom check that does not compile...). */
    InvalidPolicy,
    /** Ready false: another DevOpsPolicy of the namespace governs it (the first by name). */
    NotGoverning,
    /** Compliant: no check failed. */
    NoViolations,
    /** Compliant false: at least one check failed. */
    ViolationsFound,
    /** Compliant unknown: the namespace was not evaluated under this policy. */
    NotEvaluated
  }

  private PolicyStatuses() {}

  /** The status after {@code result}, the evaluation of the namespace under this policy. */
  public static DevOpsPolicyStatus evaluated(long generation, AuditResult result,
      DevOpsPolicyStatus previous, Instant now) {
    Score score = result.score();
    DevOpsPolicyStatus status = new DevOpsPolicyStatus();
    status.setObservedGeneration(generation);
    status.setHealthScore(score.value());
    status.setHealthy(score.healthy());
    status.setClassification(DevOpsPolicyStatus.Classification.valueOf(
        score.classification().name().toUpperCase(Locale.ROOT)));
    status.setViolations(score.failed());
    ViolationsBySeverity bySeverity = new ViolationsBySeverity();
    bySeverity.setCritical(score.failed(Severity.CRITICAL));
    bySeverity.setHigh(score.failed(Severity.HIGH));
    bySeverity.setMedium(score.failed(Severity.MEDIUM));
    bySeverity.setLow(score.failed(Severity.LOW));
    status.setViolationsBySeverity(bySeverity);
    status.setEvaluatedWorkloads(result.workloads());
    status.setLastEvaluated(time(now));
    String counts = severities(score);
    status.setMessage(result.workloads() + (result.workloads() == 1 ? " workload" : " workloads")
        + " evaluated: score " + score.value() + " (" + score.classification().name()
        + "), " + score.failed() + (score.failed() == 1 ? " violation" : " violations")
        + (counts.isEmpty() ? "" : " (" + counts + ")"));
    List<Conditions> conditions = new ArrayList<>();
    conditions.add(condition(previous, READY, Conditions.Status.TRUE, Reason.Evaluated,
        "the namespace's workloads were evaluated under this policy", generation, now));
    conditions.add(score.failed() == 0
        ? condition(previous, COMPLIANT, Conditions.Status.TRUE, Reason.NoViolations,
            "no check failed", generation, now)
        : condition(previous, COMPLIANT, Conditions.Status.FALSE, Reason.ViolationsFound,
            score.failed() + " failed " + (score.failed() == 1 ? "check" : "checks") + ": "
                + counts, generation, now));
    status.setConditions(conditions);
    return status;
  }

  /**
   * The status of a policy whose namespace was not evaluated under it: {@code reason} says why
   * ({@link Reason#InvalidPolicy}, {@link Reason#NotGoverning}); no score is claimed.
   */
  public static DevOpsPolicyStatus notEvaluated(long generation, Reason reason, String message,
      DevOpsPolicyStatus previous, Instant now) {
    DevOpsPolicyStatus status = new DevOpsPolicyStatus();
    status.setObservedGeneration(generation);
    status.setLastEvaluated(time(now));
    status.setMessage(message);
    status.setConditions(List.of(
        condition(previous, READY, Conditions.Status.FALSE, reason, message, generation, now),
        condition(previous, COMPLIANT, Conditions.Status.UNKNOWN, Reason.NotEvaluated,
            "the namespace was not evaluated under this policy", generation, now)));
    return status;
  }

  /** Whether two statuses say the same, {@code lastEvaluated} aside. */
  public static boolean sameContent(DevOpsPolicyStatus a, DevOpsPolicyStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return withoutTime(a).equals(withoutTime(b));
  }

  /**
   * Whether {@code next} must be written over {@code previous}: it says something else, or the
   * previous {@code lastEvaluated} is older than {@code refresh} (the heartbeat).
   */
  public static boolean needsWrite(DevOpsPolicyStatus previous, DevOpsPolicyStatus next,
      Duration refresh, Instant now) {
    if (!sameContent(previous, next) || previous.getLastEvaluated() == null) {
      return true;
    }
    return !previous.getLastEvaluated().toInstant().plus(refresh).isAfter(now);
  }

  /** How many violations {@code status} reports; 0 without an evaluation. */
  public static int violations(DevOpsPolicyStatus status) {
    return status == null || status.getViolations() == null ? 0 : status.getViolations();
  }

  private static JsonNode withoutTime(DevOpsPolicyStatus status) {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(status);
    tree.remove("lastEvaluated");
    return tree;
  }

  private static Conditions condition(DevOpsPolicyStatus previous, String type,
      Conditions.Status value, Reason reason, String message, long generation, Instant now) {
    Conditions condition = new Conditions();
    condition.setType(type);
    condition.setStatus(value);
    condition.setReason(reason.name());
    condition.setMessage(message);
    condition.setObservedGeneration(generation);
    Conditions before = previous == null || previous.getConditions() == null ? null
        : previous.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
            .orElse(null);
    condition.setLastTransitionTime(before != null && before.getStatus() == value
        && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : time(now));
    return condition;
  }

  private static String severities(Score score) {
    StringJoiner joined = new StringJoiner(", ");
    for (Severity severity : Severity.values()) {
      if (score.failed(severity) > 0) {
        joined.add(score.failed(severity) + " " + severity.id());
      }
    }
    return joined.toString();
  }

  /** The CRD's date-time fields are written to the second. */
  private static ZonedDateTime time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
  }
}
