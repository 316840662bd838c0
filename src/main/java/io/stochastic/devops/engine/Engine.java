package io.stochastic.devops.engine;

import io.stochastic.devops.engine.check.CheckEvaluation;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.Exemption;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.engine.workload.Workload;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Judges objects against effective policies. The engine knows nothing of how it is called: the
 * offline audit, the cluster audit, the batch auditor, the operator and the webhook all come
 * here with an {@link ObjectSet} and a policy per namespace.
 */
public final class Engine {
  /** Annotation that exempts a workload or pod entirely (value {@code "true"}). */
  public static final String EXEMPT_ANNOTATION = "devops.stochastic.io/exempt";
  /** Annotation listing check ids a workload or pod is exempt from. */
  public static final String EXEMPT_CHECKS_ANNOTATION = "devops.stochastic.io/exempt-checks";

  private final EngineSettings settings;
  private final Clock clock;

  public Engine(EngineSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public EngineSettings settings() {
    return settings;
  }

  /** Judges every object of the set, each under the policy of its namespace. */
  public AuditResult audit(ObjectSet objects, Function<String, EffectivePolicy> policyFor) {
    List<SubjectResult> subjects = new ArrayList<>();
    int skipped = 0;
    int exempt = 0;
    CheckEvaluation evaluation = new CheckEvaluation(objects, clock.instant());
    for (KubeObject object : objects.objects()) {
      Judgement judgement = judge(object, evaluation, policyFor);
      switch (judgement.outcome()) {
        case AUDITED -> subjects.add(judgement.result());
        case EXEMPT -> exempt++;
        case SKIPPED -> skipped++;
      }
    }
    return new AuditResult(subjects, skipped, exempt);
  }

  /** Judges one object in the context of the objects around it (for cross-object checks). */
  public Judgement judge(KubeObject object, ObjectSet context, EffectivePolicy policy) {
    return judge(object, new CheckEvaluation(context, clock.instant()), ns -> policy);
  }

  private Judgement judge(KubeObject object, CheckEvaluation evaluation,
      Function<String, EffectivePolicy> policyFor) {
    Optional<Workload> workload = Workload.of(object);
    List<ActiveCheck> applicable = new ArrayList<>();
    String kind = object.kind();
    EffectivePolicy policy = policyFor.apply(object.namespace());
    for (ActiveCheck check : policy.checks()) {
      boolean applies = workload.isPresent()
          ? check.check().definition().appliesToWorkloadKind(kind)
          : check.check().definition().appliesToObjectKind(kind);
      if (applies) {
        applicable.add(check);
      }
    }
    if (workload.isEmpty() && applicable.isEmpty()) {
      return Judgement.SKIPPED;
    }
    if (object.namespace() != null && settings.systemNamespaces().contains(object.namespace())) {
      return Judgement.exempt("system namespace " + object.namespace());
    }
    Map<String, Object> podMetadata = workload.map(Workload::podMetadata).orElse(Map.of());
    Map<String, Object> podAnnotations = KubeObject.mapAt(podMetadata, "annotations");
    if (isTrue(object.annotations().get(EXEMPT_ANNOTATION))
        || isTrue(podAnnotations.get(EXEMPT_ANNOTATION))) {
      return Judgement.exempt("annotation " + EXEMPT_ANNOTATION);
    }
    Set<String> exemptChecks = new HashSet<>();
    addCheckList(exemptChecks, object.annotations().get(EXEMPT_CHECKS_ANNOTATION));
    addCheckList(exemptChecks, podAnnotations.get(EXEMPT_CHECKS_ANNOTATION));
    Map<String, Object> podLabels = KubeObject.mapAt(podMetadata, "labels");

    List<CheckResult> results = new ArrayList<>();
    CheckEvaluation.Subject subject = evaluation.subject(object, workload.orElse(null));
    for (ActiveCheck check : applicable) {
      if (exemptChecks.contains(check.id())
          || exemptedByPolicy(policy, check.id(), object, podLabels)) {
        continue;
      }
      subject.evaluate(check.check(), check.severity(), check.params(), check.remediable(),
          results);
    }
    return Judgement.audited(new SubjectResult(object, results));
  }

  private static boolean exemptedByPolicy(EffectivePolicy policy, String check, KubeObject object,
      Map<String, Object> podLabels) {
    for (Exemption exemption : policy.exemptions()) {
      if (exemption.covers(check) && exemption.matches(object.name(), object.labels(), podLabels)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTrue(Object value) {
    return value != null && "true".equalsIgnoreCase(value.toString().strip());
  }

  private static void addCheckList(Set<String> into, Object value) {
    if (value == null) {
      return;
    }
    for (String id : value.toString().split(",")) {
      if (!id.isBlank()) {
        into.add(id.strip());
      }
    }
  }
}
