package io.stochastic.devops.report;

import java.io.IOException;
import java.io.Writer;

/** Writes an audit report in one format. */
public interface ReportRenderer {
  void render(ReportContext context, Writer out) throws IOException;

  static ReportRenderer of(ReportFormat format) {
    return switch (format) {
      case TABLE -> new TableReportRenderer();
      case JSON -> StructuredReportRenderer.json();
      case YAML -> StructuredReportRenderer.yaml();
      case JUNIT -> new JunitReportRenderer();
      case SARIF -> new SarifReportRenderer();
      case GITHUB -> new GithubReportRenderer();
      case MARKDOWN -> new MarkdownReportRenderer();
    };
  }
}
