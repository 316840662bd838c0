package io.stochastic.devops.report;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Markdown summary for a CI step summary ({@code >> $GITHUB_STEP_SUMMARY}) or a merge-request
 * comment: the score, the totals, a table of workloads and a table of findings, most severe
 * first. {@code --only-failed} leaves out workloads without findings, {@code --summary} both
 * tables.
 */
final class MarkdownReportRenderer implements ReportRenderer {

  @Override
  public void render(ReportContext context, Writer out) throws IOException {
    String nl = System.lineSeparator();
    Score total = context.result().score();
    out.write("## kube-devops audit: " + total.value() + "/100 "
        + total.classification().name() + nl + nl);
    out.write(cell(TableReportRenderer.summaryLine(context, new Ansi(false))) + nl);
    List<String> severities = new ArrayList<>();
    for (Severity s : Severity.values()) {
      severities.add(s.id() + " " + total.failed(s));
    }
    out.write(nl + "Failed by severity: " + String.join(", ", severities) + nl);
    if (context.summaryOnly()) {
      return;
    }
    List<SubjectResult> subjects = TableReportRenderer.shownSubjects(context);
    if (subjects.isEmpty()) {
      return;
    }
    out.write(nl + "| Workload | Namespace | Score | Failed |" + nl);
    out.write("|---|---|---:|---:|" + nl);
    List<Row> rows = new ArrayList<>();
    for (SubjectResult subject : subjects) {
      KubeObject object = subject.object();
      long failed = subject.results().stream().filter(r -> !r.passed()).count();
      out.write("| " + cell(object.kind() + " " + object.name()) + " | "
          + cell(object.namespace() == null ? "" : object.namespace()) + " | "
          + subject.score().value() + " " + subject.score().classification().name() + " | "
          + failed + " |" + nl);
      for (CheckResult r : subject.results()) {
        if (!r.passed() || context.showPassed()) {
          rows.add(new Row(object, r));
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    rows.sort(Comparator.comparing((Row row) -> row.result.passed())
        .thenComparing(row -> -row.result.severity().weight()));
    out.write(nl + "| Severity | Check | Workload | Container | Message | Source |" + nl);
    out.write("|---|---|---|---|---|---|" + nl);
    for (Row row : rows) {
      CheckResult r = row.result;
      KubeObject object = row.object;
      String source = object.file() == null ? String.valueOf(object.source())
          : object.file() + (object.line() > 0 ? ":" + object.line() : "");
      out.write("| " + (r.passed() ? "pass" : r.severity().id()) + " | `" + r.check() + "` | "
          + cell((object.namespace() == null ? "" : object.namespace() + "/") + object.kind()
              + "/" + object.name()) + " | "
          + cell(r.container() == null ? "" : r.container()) + " | " + cell(r.message())
          + " | " + cell(source) + " |" + nl);
    }
  }

  private record Row(KubeObject object, CheckResult result) {}

  /** Text safe in a table cell: no pipe, no line break, no HTML. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
        .replace(">", "&gt;").replace("\r", "").replace("\n", " ");
  }
}
