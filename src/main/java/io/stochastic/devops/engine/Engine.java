package io.stochastic.devops.engine;

import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.engine.check.CheckEvaluation;
import io.stochastic.devops.engine.input.BuiltInObjectKinds;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.Exemption;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.engine.workload.Ownership;
import io.stochastic.devops.engine.workload.Workload;
import io.stochastic.devops.engine.workload.WorkloadKinds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Judges objects against effective policies. The engine knows nothing of how it is called: the
 * offline audit, the cluster audit, the batch auditor, the operator and the webhook all come
 * here with an {@link ObjectSet} and a policy per namespace.
 *
 * <p>Objects run by a workload of the same set (a Deployment's ReplicaSet and Pods) are judged
 * once, through that workload ({@link Ownership}); the runtime checks of its pods (restarts,
 * Pending) are added to the workload's results.
 */
public final class Engine {

  private final EngineSettings settings;
  private final Clock clock;

  public Engine(EngineSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public EngineSettings settings() {
    return settings;
  }

  /**
   * Judges every object of the set, each under the policy of its namespace. Large sets are
   * judged in chunks on {@link EngineSettings#parallelism()} threads; results keep input order.
   */
  public AuditResult audit(ObjectSet objects, Function<String, EffectivePolicy> policyFor) {
    List<KubeObject> all = objects.objects();
    Ownership ownership = Ownership.of(all,
        object -> policyFor.apply(object.namespace()).workloadKinds());
    int chunks = Math.min(settings.parallelism(), (all.size() + CHUNK - 1) / CHUNK);
    if (chunks <= 1) {
      return judgeRun(all, objects, ownership, policyFor).build();
    }
    int size = (all.size() + chunks - 1) / chunks;
    ExecutorService pool = Executors.newFixedThreadPool(chunks, runnable -> {
      Thread thread = new Thread(runnable, "kube-devops-audit");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<AuditResult.Builder>> parts = new ArrayList<>();
      for (int from = 0; from < all.size(); from += size) {
        List<KubeObject> slice = all.subList(from, Math.min(all.size(), from + size));
        parts.add(pool.submit(() -> judgeRun(slice, objects, ownership, policyFor)));
      }
      AuditResult.Builder merged = new AuditResult.Builder();
      for (Future<AuditResult.Builder> part : parts) {
        merged.add(part.get());
      }
      return merged.build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("audit interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Below this many objects per thread, one thread is faster than several. */
  private static final int CHUNK = 512;

  /** Judges a run of objects on the calling thread, with its own evaluation state. */
  private AuditResult.Builder judgeRun(List<KubeObject> run, ObjectSet context,
      Ownership ownership, Function<String, EffectivePolicy> policyFor) {
    CheckEvaluation evaluation = new CheckEvaluation(context, clock.instant(),
        settings.directEvaluation(), settings.kubernetesVersion());
    AuditResult.Builder results = new AuditResult.Builder();
    for (KubeObject object : run) {
      if (ownership.topOwner(object) != null) {
        results.add(Judgement.OWNED);
        continue;
      }
      results.add(judge(object, evaluation, ownership.podsOf(object), policyFor));
    }
    return results;
  }

  /** Judges one object in the context of the objects around it (for cross-object checks). */
  public Judgement judge(KubeObject object, RelatedObjects context, EffectivePolicy policy) {
    CheckEvaluation evaluation = new CheckEvaluation(context, clock.instant(),
        settings.directEvaluation(), settings.kubernetesVersion());
    return judge(object, evaluation, List.of(), ns -> policy);
  }

  /** @param pods the pods the object runs, whose runtime checks count against it */
  private Judgement judge(KubeObject object, CheckEvaluation evaluation, List<KubeObject> pods,
      Function<String, EffectivePolicy> policyFor) {
    EffectivePolicy policy = policyFor.apply(object.namespace());
    Optional<Workload> workload = Workload.of(object, policy.workloadKinds());
    List<ActiveCheck> applicable = new ArrayList<>();
    String kind = object.kind();
    // Whether a check about this kind applies, not only checks of every kind (kinds ["*"]).
    boolean judgedForItsKind = workload.isPresent();
    // A custom resource named like a built-in kind (Knative's serving.knative.dev Service, a
    // Crossplane Role), or a custom kind with a pod template nobody declared, is not that kind:
    // only the checks of every kind judge it.
    String template = workload.isEmpty() ? WorkloadKinds.undeclaredTemplatePath(object) : null;
    boolean foreign = workload.isEmpty()
        && (template != null || BuiltInObjectKinds.inForeignGroup(object));
    for (ActiveCheck check : policy.checks()) {
      var definition = check.check().definition();
      boolean applies = workload.isPresent()
          ? definition.appliesToWorkloadKind(kind) || definition.judgesAnyKind()
          : foreign ? definition.judgesAnyKind()
          : definition.appliesToObjectKind(kind);
      if (applies) {
        applicable.add(check);
        judgedForItsKind |= !definition.judgesAnyKind();
      }
    }
    boolean systemNamespace = object.namespace() != null
        && settings.systemNamespaces().contains(object.namespace());
    // What an object no check of its kind judges is, unless a check of every kind finds fault
    // with it: skipped, or a custom kind with a pod template nobody declared, said.
    Judgement passedOver = null;
    if (!judgedForItsKind) {
      passedOver = template == null || systemNamespace ? Judgement.SKIPPED
          : Judgement.undeclared(kind, object.group(), template);
      if (applicable.isEmpty() || systemNamespace) {
        return passedOver;
      }
    }
    if (systemNamespace) {
      return Judgement.exempt("system namespace " + object.namespace());
    }
    Map<String, Object> podMetadata = workload.map(Workload::podMetadata).orElse(Map.of());
    Map<String, Object> podAnnotations = KubeObject.mapAt(podMetadata, "annotations");
    String exemptBy = isTrue(object.annotations().get(Annotations.EXEMPT))
        || isTrue(podAnnotations.get(Annotations.EXEMPT)) ? Annotations.EXEMPT
        : isTrue(object.annotations().get(Annotations.POLARIS_EXEMPT))
        || isTrue(podAnnotations.get(Annotations.POLARIS_EXEMPT)) ? Annotations.POLARIS_EXEMPT
        : null;
    if (exemptBy != null) {
      return passedOver != null ? passedOver : Judgement.exempt("annotation " + exemptBy);
    }
    Set<String> exemptChecks = new HashSet<>();
    addCheckList(exemptChecks, object.annotations().get(Annotations.EXEMPT_CHECKS));
    addCheckList(exemptChecks, podAnnotations.get(Annotations.EXEMPT_CHECKS));
    addPolarisCheckExemptions(exemptChecks, object.annotations());
    addPolarisCheckExemptions(exemptChecks, podAnnotations);
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
    for (KubeObject pod : pods) {
      judgeRuntime(pod, evaluation, policy, exemptChecks, object, podLabels, results);
    }
    if (passedOver != null && results.isEmpty()) {
      return passedOver;
    }
    return Judgement.audited(new SubjectResult(object, results, workload.isPresent()));
  }

  /** The runtime checks of a pod that {@code owner} runs, added to the owner's results. */
  private static void judgeRuntime(KubeObject pod, CheckEvaluation evaluation,
      EffectivePolicy policy, Set<String> exemptChecks, KubeObject owner,
      Map<String, Object> podLabels, List<CheckResult> results) {
    Optional<Workload> view = Workload.of(pod);
    if (view.isEmpty()) {
      return;
    }
    CheckEvaluation.Subject subject = null;
    for (ActiveCheck check : policy.checks()) {
      var definition = check.check().definition();
      if (definition.category() != Category.RUNTIME
          || !definition.appliesToWorkloadKind(pod.kind())
          || exemptChecks.contains(check.id())
          || exemptedByPolicy(policy, check.id(), owner, podLabels)) {
        continue;
      }
      if (subject == null) {
        subject = evaluation.subject(pod, view.get());
      }
      subject.evaluate(check.check(), check.severity(), check.params(), check.remediable(),
          results);
    }
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

  /** {@code polaris.fairwinds.com/<checkId>-exempt: "true"} annotations, as check ids. */
  private static void addPolarisCheckExemptions(Set<String> into, Map<String, ?> annotations) {
    for (Map.Entry<String, ?> annotation : annotations.entrySet()) {
      String key = annotation.getKey();
      if (key.startsWith(Annotations.POLARIS_PREFIX)
          && key.endsWith(Annotations.POLARIS_CHECK_EXEMPT_SUFFIX)
          && key.length() > Annotations.POLARIS_PREFIX.length()
              + Annotations.POLARIS_CHECK_EXEMPT_SUFFIX.length()
          && isTrue(annotation.getValue())) {
        into.add(key.substring(Annotations.POLARIS_PREFIX.length(),
            key.length() - Annotations.POLARIS_CHECK_EXEMPT_SUFFIX.length()));
      }
    }
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
