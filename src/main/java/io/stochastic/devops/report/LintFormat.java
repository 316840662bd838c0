package io.stochastic.devops.report;

import java.util.Locale;

/** The output formats of {@code policy lint} ({@code -o}). */
public enum LintFormat {
  TABLE,
  JSON,
  SARIF;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
