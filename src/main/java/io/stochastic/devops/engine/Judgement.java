package io.stochastic.devops.engine;

import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.engine.result.UndeclaredKind;

/**
 * What the engine made of one object: audited (with results), exempt (by annotation or for
 * being in a system namespace), skipped (no check judges its kind), or owned (judged through the
 * workload that runs it); an undeclared custom workload kind is skipped too, but said.
 */
public record Judgement(Outcome outcome, SubjectResult result, String reason,
    UndeclaredKind undeclared) {
  /** UNDECLARED: skipped, but the object carries a pod template of a kind nobody declared. */
  public enum Outcome { AUDITED, EXEMPT, SKIPPED, OWNED, UNDECLARED }

  public Judgement(Outcome outcome, SubjectResult result, String reason) {
    this(outcome, result, reason, null);
  }

  static Judgement audited(SubjectResult result) {
    return new Judgement(Outcome.AUDITED, result, null);
  }

  static Judgement exempt(String reason) {
    return new Judgement(Outcome.EXEMPT, null, reason);
  }

  static Judgement undeclared(String kind, String group, String podTemplatePath) {
    UndeclaredKind undeclared = new UndeclaredKind(kind, group, podTemplatePath, 1);
    return new Judgement(Outcome.UNDECLARED, null, "kind " + undeclared.declaration()
        + " carries a pod template but is not a declared workload kind", undeclared);
  }

  static final Judgement SKIPPED = new Judgement(Outcome.SKIPPED, null, "no check applies");

  static final Judgement OWNED = new Judgement(Outcome.OWNED, null,
      "judged through the workload that runs it");
}
