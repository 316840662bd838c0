package io.stochastic.devops.engine.input;

import java.util.List;

/** Judges whether an object read from manifests is one the API server would take. */
@FunctionalInterface
public interface ObjectValidator {
  /**
   * @param error why the object cannot be read as its kind, in one line; null when it can
   * @param warnings what is suspect but readable, one line each
   */
  record Verdict(String error, List<String> warnings) {
    public static final Verdict VALID = new Verdict(null, List.of());
  }

  Verdict validate(KubeObject object);
}
