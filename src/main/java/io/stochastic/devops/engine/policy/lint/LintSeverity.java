package io.stochastic.devops.engine.policy.lint;

import java.util.Locale;

/** How bad a lint problem is: an error fails {@code policy lint}; a warning only with --strict. */
public enum LintSeverity {
  ERROR,
  WARNING;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
