package io.stochastic.devops.report;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.check.CheckCatalog;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.result.AuditResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The audit the report tests render: {@code report/workloads.yaml} under a fixed subset of the
 * catalog, so that the pinned report does not change whenever a check is added.
 */
final class ReportFixture {
  static final Path INPUT = Path.of("src/test/resources/report/workloads.yaml");
  static final Set<String> CHECKS = Set.of("tagNotSpecified", "livenessProbeMissing",
      "cpuLimitsMissing", "memoryLimitsMissing", "restartCountTooHigh");

  private ReportFixture() {}

  static NamespacePolicies policies() {
    List<CheckDefinition> subset = TestUtils.catalog().definitions().stream()
        .filter(d -> CHECKS.contains(d.id())).toList();
    PolicyResolver resolver = new PolicyResolver(
        new CheckCatalog(subset, TestUtils.celEnvironment()), TestUtils.bundles());
    EffectivePolicy policy = resolver.resolve(TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: report-test}
        spec:
          bundle: restricted
          maxRestartCount: 5
          remediation:
            resources:
              limits: {cpu: 500m, memory: 256Mi}
        """), "bundle restricted");
    return NamespacePolicies.single(policy);
  }

  static ReportContext context(boolean showPassed, boolean color) {
    NamespacePolicies policies = policies();
    AuditResult result = TestUtils.engine().audit(TestUtils.read(INPUT).toObjectSet(), policies);
    return new ReportContext(result, policies.checkDefinitions(), policies.describe(),
        "1.0.0", showPassed, color);
  }
}
