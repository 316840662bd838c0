package io.stochastic.devops.report;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.policy.lint.LintProblem;
import io.stochastic.devops.engine.policy.lint.LintReport;
import io.stochastic.devops.engine.policy.lint.LintSeverity;
import java.io.IOException;
import java.io.Writer;

/**
 * One line per problem, as compilers print them ({@code file#doc:line: error: field: message}),
 * then a summary line.
 */
final class LintTextRenderer implements LintRenderer {
  @Override
  public void render(LintReport report, String toolVersion, boolean color, Writer out)
      throws IOException {
    Ansi ansi = new Ansi(color);
    String nl = System.lineSeparator();
    for (LintProblem p : report.problems()) {
      String severity = p.severity() == LintSeverity.ERROR
          ? ansi.severity(Severity.HIGH, "error") : ansi.severity(Severity.MEDIUM, "warning");
      out.write(ansi.bold(p.source() + (p.line() > 0 ? ":" + p.line() : "")) + ": " + severity
          + ": " + (p.field().isRoot() ? "" : p.field() + ": ") + p.message() + nl);
    }
    out.write(summary(report) + nl);
  }

  static String summary(LintReport report) {
    String scope = plural(report.policies(), "policy", "policies") + " in "
        + plural(report.files(), "file", "files")
        + (report.ignored() == 0 ? "" : " (" + plural(report.ignored(), "other document",
            "other documents") + " skipped)");
    if (report.problems().isEmpty()) {
      return scope + ": no problems";
    }
    return plural(report.errors(), "error", "errors") + ", "
        + plural(report.warnings(), "warning", "warnings") + " in " + scope;
  }

  private static String plural(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
