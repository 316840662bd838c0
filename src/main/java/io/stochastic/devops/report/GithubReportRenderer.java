package io.stochastic.devops.report;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.IOException;
import java.io.Writer;

/**
 * GitHub Actions workflow commands: one {@code ::error}/{@code ::warning}/{@code ::notice}
 * annotation per failed check result, at the manifest file and the line its document starts on
 * (critical and high are errors, medium warnings, low notices, as in SARIF), then one notice with
 * the score. Stdin and cluster objects have no file: their annotations name the object only.
 */
final class GithubReportRenderer implements ReportRenderer {

  @Override
  public void render(ReportContext context, Writer out) throws IOException {
    String nl = System.lineSeparator();
    for (SubjectResult subject : context.result().subjects()) {
      KubeObject object = subject.object();
      for (CheckResult r : subject.results()) {
        if (r.passed()) {
          continue;
        }
        StringBuilder line = new StringBuilder("::").append(command(r.severity())).append(' ');
        String file = object.file();
        if (file != null && !file.startsWith("<")) {
          line.append("file=").append(property(file.replace('\\', '/'))).append(',');
          if (object.line() > 0) {
            line.append("line=").append(object.line()).append(',');
          }
        }
        line.append("title=").append(property("kube-devops " + r.check() + " ("
            + r.severity().id() + ")"));
        String where = (object.namespace() == null ? "" : object.namespace() + "/")
            + object.kind() + "/" + object.name()
            + (r.container() == null ? "" : " container " + r.container());
        line.append("::").append(data(where + ": " + r.message()));
        out.write(line + nl);
      }
    }
    Score total = context.result().score();
    out.write("::notice title=kube-devops audit::" + data("score " + total.value() + "/100 "
        + total.classification().name() + "; " + TableReportRenderer.summaryLine(context,
            new Ansi(false))) + nl);
  }

  static String command(Severity severity) {
    return switch (severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW -> "notice";
    };
  }

  /** A message, escaped as the runner expects (%, CR and LF). */
  static String data(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** A property value: a message's escapes, and ':' and ',' that would end it. */
  static String property(String text) {
    return data(text).replace(":", "%3A").replace(",", "%2C");
  }
}
