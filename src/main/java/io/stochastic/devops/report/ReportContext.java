package io.stochastic.devops.report;

import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.result.AuditResult;
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
 */
public record ReportContext(AuditResult result, Map<String, CheckDefinition> checks,
    String policyName,
    String toolVersion, boolean showPassed, boolean color) {

  public AuditReport report() {
    return AuditReport.of(result, showPassed);
  }
}
