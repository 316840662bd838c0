package io.stochastic.devops.engine.remediation.manifest;

/**
 * A failed check whose fix {@code fix} did not make, and why: the policy gives no value the patch
 * needs, the fix is risky and not allowed, or the text cannot be edited safely (an anchor that
 * aliases share, a merge key).
 *
 * @param object the object as messages name it, {@code Deployment/web}
 */
public record SkippedFix(String object, String check, String reason) {
  @Override
  public String toString() {
    return object + ": " + check + ": " + reason;
  }
}
