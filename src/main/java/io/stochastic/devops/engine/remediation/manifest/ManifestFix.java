package io.stochastic.devops.engine.remediation.manifest;

import java.util.List;

/**
 * One file's fix: its text before and after, the checks fixed ({@code Deployment/web:
 * runAsRootAllowed}) and the fixes skipped.
 */
public record ManifestFix(String original, String fixed, List<String> fixedChecks,
    List<SkippedFix> skipped) {
  public boolean changed() {
    return !original.equals(fixed);
  }
}
