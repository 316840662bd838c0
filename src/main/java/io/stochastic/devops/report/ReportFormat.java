package io.stochastic.devops.report;

import java.util.Locale;

/** The output formats of an audit report ({@code -o}). */
public enum ReportFormat {
  TABLE,
  JSON,
  YAML,
  JUNIT,
  SARIF,
  GITHUB,
  MARKDOWN;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
