package io.stochastic.devops.report;

/** The output formats of {@code policy lint} ({@code -o}). */
public enum LintFormat {
  TABLE,
  JSON,
  SARIF
}
