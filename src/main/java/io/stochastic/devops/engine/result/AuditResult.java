package io.stochastic.devops.engine.result;

import io.stochastic.devops.engine.Judgement;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.workload.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of judging a set of objects.
 *
 * @param subjects the objects audited, in input order
 * @param skipped objects read but judged by no check (Services, custom resources...)
 * @param exempt workloads skipped by an exemption annotation or for being in a system namespace
 * @param owned pods, ReplicaSets and Jobs judged through the workload that runs them
 * @param undeclared kinds whose objects carry a pod template but that are not declared workload
 *     kinds (counted in {@code skipped} too), sorted by kind and group
 */
public record AuditResult(List<SubjectResult> subjects, int skipped, int exempt, int owned,
    List<UndeclaredKind> undeclared) {
  public AuditResult {
    subjects = List.copyOf(subjects);
    undeclared = List.copyOf(undeclared);
  }

  public AuditResult(List<SubjectResult> subjects, int skipped, int exempt, int owned) {
    this(subjects, skipped, exempt, owned, List.of());
  }

  /** A result in which nothing was judged through an owner. */
  public AuditResult(List<SubjectResult> subjects, int skipped, int exempt) {
    this(subjects, skipped, exempt, 0);
  }

  /** Accumulates judgements into a result; one per thread, merged in input order. */
  public static final class Builder {
    private final List<SubjectResult> subjects = new ArrayList<>();
    private int skipped;
    private int exempt;
    private int owned;
    private final Map<String, UndeclaredKind> undeclared = new TreeMap<>();

    public Builder add(Judgement judgement) {
      switch (judgement.outcome()) {
        case AUDITED -> subjects.add(judgement.result());
        case EXEMPT -> exempt++;
        case SKIPPED -> skipped++;
        case OWNED -> owned++;
        case UNDECLARED -> {
          skipped++;
          addUndeclared(judgement.undeclared());
        }
      }
      return this;
    }

    public Builder add(Builder other) {
      subjects.addAll(other.subjects);
      skipped += other.skipped;
      exempt += other.exempt;
      owned += other.owned;
      other.undeclared.values().forEach(this::addUndeclared);
      return this;
    }

    /** Adds the results of another audit (another namespace) after those added so far. */
    public Builder add(AuditResult other) {
      subjects.addAll(other.subjects());
      skipped += other.skipped();
      exempt += other.exempt();
      owned += other.owned();
      other.undeclared().forEach(this::addUndeclared);
      return this;
    }

    private void addUndeclared(UndeclaredKind kind) {
      undeclared.merge(kind.name(), kind,
          (a, b) -> a.plus(b.objects()));
    }

    public AuditResult build() {
      return new AuditResult(subjects, skipped, exempt, owned, List.copyOf(undeclared.values()));
    }
  }

  /**
   * The subjects that are workloads: the kinds that run pods (Deployment, StatefulSet, CronJob,
   * declared custom kinds...) and bare pods. What the summaries count as workloads.
   */
  public int workloads() {
    int n = 0;
    for (SubjectResult subject : subjects) {
      if (subject.workload()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The subjects that are not workloads but that checks judged: ConfigMaps, RBAC bindings,
   * Ingresses, NetworkPolicies...
   */
  public int otherObjects() {
    return subjects.size() - workloads();
  }

  /** Whether an object is a workload (a kind that runs pods, or a pod) rather than another. */
  public static boolean isWorkload(KubeObject object) {
    return WorkloadKind.of(object.group(), object.kind()).isPresent();
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
