package io.stochastic.devops.report;

import io.stochastic.devops.engine.Classification;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report for a terminal: workloads grouped by namespace, each with its score and its failed
 * checks (most severe first), then the totals and the classification.
 */
final class TableReportRenderer implements ReportRenderer {
  private static final String CLUSTER_SCOPED = "(cluster-scoped)";

  @Override
  public void render(ReportContext context, Writer out) throws IOException {
    Ansi ansi = new Ansi(context.color());
    String nl = System.lineSeparator();
    Map<String, List<SubjectResult>> byNamespace = new LinkedHashMap<>();
    for (SubjectResult subject : context.summaryOnly() ? List.<SubjectResult>of()
        : shownSubjects(context)) {
      String ns = subject.object().namespace() == null ? CLUSTER_SCOPED
          : subject.object().namespace();
      byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(subject);
    }
    int nameWidth = 10;
    int checkWidth = 10;
    int containerWidth = 0;
    for (SubjectResult subject : context.result().subjects()) {
      nameWidth = Math.max(nameWidth, label(subject).length());
      for (CheckResult r : subject.results()) {
        checkWidth = Math.max(checkWidth, r.check().length());
        containerWidth = Math.max(containerWidth, r.container() == null ? 0
            : r.container().length());
      }
    }

    for (Map.Entry<String, List<SubjectResult>> group : byNamespace.entrySet()) {
      Score nsScore = new Score();
      group.getValue().forEach(s -> nsScore.add(s.score()));
      out.write(ansi.bold("NAMESPACE " + group.getKey()) + "  " + scoreText(ansi, nsScore) + nl);
      for (SubjectResult subject : group.getValue()) {
        Score score = subject.score();
        out.write("  " + pad(label(subject), nameWidth) + "  " + scoreText(ansi, score) + nl);
        List<CheckResult> shown = new ArrayList<>(subject.results().stream()
            .filter(r -> !r.passed() || context.showPassed()).toList());
        shown.sort((a, b) -> a.passed() != b.passed() ? Boolean.compare(a.passed(), b.passed())
            : Integer.compare(b.severity().weight(), a.severity().weight()));
        for (CheckResult r : shown) {
          String status = r.passed() ? ansi.passed(pad("pass", 8))
              : ansi.severity(r.severity(), pad(r.severity().id(), 8));
          String container = containerWidth == 0 ? ""
              : pad(r.container() == null ? "" : r.container(), containerWidth) + "  ";
          out.write("    " + status + " " + pad(r.check(), checkWidth) + "  " + container
              + (r.passed() ? ansi.dim(r.message()) : r.message()) + nl);
        }
      }
      out.write(nl);
    }

    Score total = context.result().score();
    out.write(summaryLine(context, ansi) + nl);
    out.write(ansi.bold("Score: ") + ansi.classification(total.classification(),
        total.value() + "/100 " + total.classification().name()) + nl);
  }

  /** The workloads a readable report lists: all, or with --only-failed those with findings. */
  static List<SubjectResult> shownSubjects(ReportContext context) {
    if (!context.onlyFailed()) {
      return context.result().subjects();
    }
    return context.result().subjects().stream()
        .filter(s -> s.results().stream().anyMatch(r -> !r.passed())).toList();
  }

  /** The one-line totals: workloads, checks passed and failed, what was skipped. */
  static String summaryLine(ReportContext context, Ansi ansi) {
    Score total = context.result().score();
    var result = context.result();
    StringBuilder summary = new StringBuilder();
    int workloads = result.workloads();
    int others = result.otherObjects();
    summary.append(count(workloads, "workload", "workloads"));
    if (others > 0) {
      summary.append(" and ").append(count(others, "other object", "other objects"));
    }
    summary.append(" audited against ").append(context.policyName())
        .append(": ").append(total.passed()).append(" checks passed, ")
        .append(total.failed()).append(" failed");
    List<String> bySeverity = new ArrayList<>();
    for (Severity s : Severity.values()) {
      if (total.failed(s) > 0) {
        bySeverity.add(ansi.severity(s, total.failed(s) + " " + s.id()));
      }
    }
    if (!bySeverity.isEmpty()) {
      summary.append(" (").append(String.join(", ", bySeverity)).append(")");
    }
    if (result.skipped() > 0 || result.exempt() > 0) {
      summary.append("; ").append(count(result.skipped(), "object", "objects"))
          .append(" no check judges skipped, ")
          .append(result.exempt()).append(" exempt");
    }
    if (result.owned() > 0) {
      summary.append("; ").append(result.owned())
          .append(" pods, ReplicaSets and Jobs judged through their workloads");
    }
    int invalid = context.invalid().size();
    if (invalid > 0) {
      summary.append("; ").append(invalid).append(invalid == 1 ? " invalid document" :
          " invalid documents").append(" skipped (--skip-invalid), not audited");
    }
    if (context.skippedKustomizations() > 0) {
      summary.append("; ").append(count(context.skippedKustomizations(),
          "Kustomize input", "Kustomize inputs")).append(" skipped, not audited (see warnings)");
    }
    if (context.duplicates() > 0) {
      summary.append("; ").append(count(context.duplicates(), "object", "objects"))
          .append(" defined more than once, judged as defined last");
    }
    return summary.toString();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String scoreText(Ansi ansi, Score score) {
    Classification c = score.classification();
    return ansi.classification(c, String.format("%3d  %s", score.value(), c.name()));
  }

  private static String label(SubjectResult subject) {
    return subject.object().kind() + " " + subject.object().name();
  }

  private static String pad(String text, int width) {
    StringBuilder b = new StringBuilder(text);
    while (b.length() < width) {
      b.append(' ');
    }
    return b.toString();
  }
}
