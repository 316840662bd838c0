package io.stochastic.devops.report;

import io.stochastic.devops.engine.policy.lint.LintReport;
import java.io.IOException;
import java.io.Writer;

/** Writes a {@code policy lint} report in one format. */
public interface LintRenderer {
  /**
   * @param toolVersion the kube-devops version (SARIF names the tool with it)
   * @param color whether the text may carry ANSI colours
   */
  void render(LintReport report, String toolVersion, boolean color, Writer out)
      throws IOException;

  static LintRenderer of(LintFormat format) {
    return switch (format) {
      case TABLE -> new LintTextRenderer();
      case JSON -> new LintJsonRenderer();
      case SARIF -> new LintSarifRenderer();
    };
  }
}
