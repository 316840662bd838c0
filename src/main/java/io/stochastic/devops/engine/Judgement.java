package io.stochastic.devops.engine;

import io.stochastic.devops.engine.result.SubjectResult;

/**
 * What the engine made of one object: audited (with results), exempt (by annotation or for
 * being in a system namespace), skipped (no check judges its kind), or owned (judged through the
 * workload that runs it).
 */
public record Judgement(Outcome outcome, SubjectResult result, String reason) {
  public enum Outcome { AUDITED, EXEMPT, SKIPPED, OWNED }

  static Judgement audited(SubjectResult result) {
    return new Judgement(Outcome.AUDITED, result, null);
  }

  static Judgement exempt(String reason) {
    return new Judgement(Outcome.EXEMPT, null, reason);
  }

  static final Judgement SKIPPED = new Judgement(Outcome.SKIPPED, null, "no check applies");

  static final Judgement OWNED = new Judgement(Outcome.OWNED, null,
      "judged through the workload that runs it");
}
