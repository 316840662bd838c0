package io.stochastic.devops.report;

import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.InvalidDocument;
import io.stochastic.devops.engine.result.AuditResult;
import java.util.List;
import java.util.Map;

/**
 * Everything a renderer may need besides the audit itself.
 *
 * @param checks the definitions of the checks that may appear in the results (built-in and
 *     custom), by id, for rule metadata
 * @param policyName what the workloads were judged against, for headers
 * @param toolVersion kube-devops's version, for SARIF and JUnit metadata
 * @param showPassed include passing results
 * @param color use ANSI colours (a terminal, and NO_COLOR not set)
 * @param cluster the audited cluster's name, or null for an offline audit
 * @param invalid the documents {@code --skip-invalid} skipped, each counted in the report
 * @param onlyFailed the readable formats (table, markdown) leave out workloads without findings
 * @param summaryOnly the readable formats show the score and the counts only
 * @param skippedKustomizations Kustomize directories, files and documents not audited
 * @param duplicates objects defined more than once in the input, judged once
 */
public record ReportContext(AuditResult result, Map<String, CheckDefinition> checks,
    String policyName,
    String toolVersion, boolean showPassed, boolean color, String cluster,
    List<InvalidDocument> invalid, boolean onlyFailed, boolean summaryOnly,
    int skippedKustomizations, int duplicates) {

  public ReportContext {
    invalid = List.copyOf(invalid);
  }

  /** The context of a cluster audit ({@code cluster} named) or an offline one (null). */
  public ReportContext(AuditResult result, Map<String, CheckDefinition> checks,
      String policyName, String toolVersion, boolean showPassed, boolean color,
      String cluster) {
    this(result, checks, policyName, toolVersion, showPassed, color, cluster, List.of(), false,
        false, 0, 0);
  }

  /** The context of an offline audit. */
  public ReportContext(AuditResult result, Map<String, CheckDefinition> checks,
      String policyName, String toolVersion, boolean showPassed, boolean color) {
    this(result, checks, policyName, toolVersion, showPassed, color, null);
  }

  public AuditReport report() {
    return AuditReport.of(result, showPassed, cluster, new AuditReport.InputCounts(
        invalid.size(), skippedKustomizations, duplicates));
  }

  /** This context with the documents {@code --skip-invalid} skipped. */
  public ReportContext withInvalid(List<InvalidDocument> skipped) {
    return new ReportContext(result, checks, policyName, toolVersion, showPassed, color, cluster,
        skipped, onlyFailed, summaryOnly, skippedKustomizations, duplicates);
  }

  /** This context showing only workloads with findings, or only the summary, when asked. */
  public ReportContext withDisplay(boolean onlyFailedWorkloads, boolean summary) {
    return new ReportContext(result, checks, policyName, toolVersion, showPassed, color, cluster,
        invalid, onlyFailedWorkloads, summary, skippedKustomizations, duplicates);
  }

  /** This context counting the Kustomize inputs skipped and the objects defined twice. */
  public ReportContext withInputCounts(int kustomizations, int duplicateObjects) {
    return new ReportContext(result, checks, policyName, toolVersion, showPassed, color, cluster,
        invalid, onlyFailed, summaryOnly, kustomizations, duplicateObjects);
  }
}
