package io.stochastic.devops.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.Judgement;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.remediation.RemediationPlan;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.engine.result.CheckResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/**
 * The validate and mutate decisions, on the shared engine: the object of a review is judged by
 * {@link Engine#judge} under its namespace's policy, exactly as the audit and the operator judge
 * it; this class only turns the findings into allow, deny, warnings or a patch.
 *
 * <p>Never the cause of an outage: objects run by a controller (a Deployment's Pods, a CronJob's
 * Jobs) are judged through their controller and admitted here, else an old Deployment that
 * violates a new policy could not replace its pods; on UPDATE only findings the change
 * introduces can deny, so an unrelated edit to an old violator goes through with warnings; an
 * object being deleted is never held up.
 */
public final class AdmissionReviewer {
  /** Kubernetes truncates longer warnings; a few lines are all kubectl users read anyway. */
  static final int MAX_WARNING_LENGTH = 256;
  static final int MAX_WARNINGS = 20;
  /** Compiled once: the patterns run for every finding of every review. */
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern ENDS_A_SENTENCE = Pattern.compile("(?s).*[.!?]\\s*$");

  private final Engine engine;
  private final Supplier<AdmissionPolicies> policies;
  private final RelatedObjects related;
  private final Remediator remediator;

  /**
   * @param policies the current policies (an informer replaces them as DevOpsPolicies change)
   * @param related what cross-object checks read
   */
  public AdmissionReviewer(Engine engine, Supplier<AdmissionPolicies> policies,
      RelatedObjects related, Remediator remediator) {
    this.engine = engine;
    this.policies = policies;
    this.related = related;
    this.remediator = remediator;
  }

  /** {@code /validate}: deny in enforce mode at the policy's deny severity, else warn. */
  public Verdict validate(AdmissionInput input) {
    Optional<Subject> subject = subject(input);
    if (subject.isEmpty()) {
      return Verdict.skipped();
    }
    EffectivePolicy policy = subject.get().policy();
    List<CheckResult> failures = subject.get().judgement().result().failures();
    Set<String> oldFailures = new HashSet<>();
    if ("UPDATE".equals(input.operation()) && input.oldObject() != null) {
      Judgement old = engine.judge(input.oldObject(), related, policy);
      if (old.outcome() == Judgement.Outcome.AUDITED) {
        old.result().failures().forEach(r -> oldFailures.add(key(r)));
      }
    }
    List<CheckResult> denying = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (CheckResult failure : failures) {
      if (policy.enforce() && failure.severity().isAtLeast(policy.denySeverity())
          && !oldFailures.contains(key(failure))) {
        denying.add(failure);
      } else {
        warnings.add(warning(failure, oldFailures.contains(key(failure))));
      }
    }
    if (!denying.isEmpty()) {
      return Verdict.denied(denial(input, policy, subject.get().policyName(), denying),
          bounded(warnings));
    }
    return Verdict.allowed(bounded(warnings));
  }

  /** {@code /mutate}: a JSON Patch with the remediations the policy enables, from the engine. */
  public Verdict mutate(AdmissionInput input) {
    Optional<Subject> subject = subject(input);
    if (subject.isEmpty()) {
      return Verdict.skipped();
    }
    EffectivePolicy policy = subject.get().policy();
    RemediationPlan plan = remediator.plan(input.object(),
        subject.get().judgement().result().results(), policy);
    if (plan.isEmpty()) {
      return Verdict.allowed(List.of());
    }
    ArrayNode patch = plan.patch();
    return Verdict.patched(patch, bounded(List.of("kube-devops: added what "
        + String.join(", ", plan.fixedChecks()) + " asked for (" + subject.get().policyName() + ")")));
  }

  /** @param policyName how messages name the policy: {@code DevOpsPolicy ns/name}, {@code bundle baseline} */
  private record Subject(EffectivePolicy policy, String policyName, Judgement judgement) {}

  /** The object judged, or empty when admission has nothing to say about it. */
  private Optional<Subject> subject(AdmissionInput input) {
    KubeObject object = input.object();
    if (object == null || !("CREATE".equals(input.operation())
        || "UPDATE".equals(input.operation()))) {
      return Optional.empty();
    }
    if (object.metadata().get("deletionTimestamp") != null || controlled(object)) {
      return Optional.empty();
    }
    AdmissionPolicies current = policies.get();
    Optional<EffectivePolicy> policy = current.policyFor(object.namespace());
    if (policy.isEmpty()) {
      return Optional.empty();
    }
    Judgement judgement = engine.judge(object, related, policy.get());
    if (judgement.outcome() != Judgement.Outcome.AUDITED) {
      return Optional.empty();
    }
    String name = current.governing(object.namespace()).isPresent()
        ? "DevOpsPolicy " + policy.get().name() : policy.get().name();
    return Optional.of(new Subject(policy.get(), name, judgement));
  }

  /** Whether a controller runs the object: then it is judged through that controller. */
  private static boolean controlled(KubeObject object) {
    if (!(object.metadata().get("ownerReferences") instanceof List<?> owners)) {
      return false;
    }
    for (Object owner : owners) {
      if (owner instanceof Map<?, ?> ref && Boolean.TRUE.equals(ref.get("controller"))) {
        return true;
      }
    }
    return false;
  }

  private static String key(CheckResult result) {
    return result.check() + "\u0000" + (result.container() == null ? "" : result.container());
  }

  private static String denial(AdmissionInput input, EffectivePolicy policy, String policyName,
      List<CheckResult> denying) {
    StringBuilder message = new StringBuilder();
    message.append(input.displayName()).append(" violates ").append(policyName)
        .append(" (enforce mode, denies ").append(policy.denySeverity().id())
        .append(" and above):");
    for (CheckResult failure : denying) {
      message.append("\n- ").append(failure.check()).append(" [").append(failure.severity().id())
          .append(']');
      if (failure.container() != null) {
        message.append(" container ").append(failure.container());
      }
      message.append(": ").append(failure.message());
      String fix = policy.check(failure.check()).map(ActiveCheck::check)
          .map(c -> c.definition().howToFix()).orElse(null);
      if (fix != null && !fix.isBlank()) {
        message.append(ENDS_A_SENTENCE.matcher(failure.message()).matches() ? " " : ". ")
            .append("Fix: ").append(WHITESPACE.matcher(fix.strip()).replaceAll(" "));
      }
    }
    return message.toString();
  }

  private static String warning(CheckResult failure, boolean unchanged) {
    StringBuilder line = new StringBuilder(failure.check()).append(" [")
        .append(failure.severity().id()).append(']');
    if (failure.container() != null) {
      line.append(" container ").append(failure.container());
    }
    line.append(": ").append(failure.message());
    if (unchanged) {
      line.append(" (already there before this change)");
    }
    return line.toString();
  }

  private static List<String> bounded(List<String> warnings) {
    List<String> result = new ArrayList<>();
    for (String warning : warnings) {
      if (result.size() == MAX_WARNINGS - 1 && warnings.size() > MAX_WARNINGS) {
        result.add("... and " + (warnings.size() - result.size()) + " more findings");
        break;
      }
      String flat = WHITESPACE.matcher(warning).replaceAll(" ");
      result.add(flat.length() <= MAX_WARNING_LENGTH ? flat
          : flat.substring(0, MAX_WARNING_LENGTH - 3) + "...");
    }
    return result;
  }
}
