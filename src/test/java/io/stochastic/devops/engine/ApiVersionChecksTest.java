package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deprecatedApiVersion and removedApiVersion, object checks of every kind ({@code kinds: ["*"]}):
 * they see workloads in old apiVersions and kinds no other check knows, compare with the
 * Kubernetes version the engine is given, and leave every other object as it was.
 */
class ApiVersionChecksTest {
  private static final EffectivePolicy BASELINE = TestUtils.bundle("baseline");

  private static final String OLD_DEPLOYMENT = """
      apiVersion: extensions/v1beta1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: nginx:1.27}]
      """;
  private static final String PSP = """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata: {name: restricted}
      spec: {privileged: false}
      """;
  private static final String OTHERS = """
      apiVersion: v1
      kind: LimitRange
      metadata: {name: defaults, namespace: shop}
      spec: {limits: [{type: Container, default: {cpu: 500m}}]}
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: canary, namespace: shop}
      spec:
        template:
          spec:
            containers: [{name: web, image: nginx:1.27}]
      """;

  private static AuditResult audit(String version, String yaml) {
    EngineSettings settings = new EngineSettings(Set.of("kube-system"))
        .withKubernetesVersion(KubernetesVersion.parse(version));
    var batch = TestUtils.readYaml("test.yaml", yaml);
    assertThat(batch.invalid()).isEmpty();
    return new Engine(settings, TestUtils.CLOCK).audit(batch.toObjectSet(), ns -> BASELINE);
  }

  private static List<CheckResult> results(AuditResult result, String kind, String check) {
    return result.subjects().stream().filter(s -> s.object().kind().equals(kind))
        .flatMap(s -> s.results().stream()).filter(r -> r.check().equals(check)).toList();
  }

  @Test
  void aWorkloadInARemovedApiVersionIsJudgedAsAWorkloadAndToldTheReplacement() {
    AuditResult result = audit("1.36", OLD_DEPLOYMENT);
    SubjectResult deployment = result.subjects().get(0);
    assertThat(deployment.workload()).as("still scored as a workload").isTrue();
    assertThat(deployment.results()).extracting(CheckResult::check)
        .contains("livenessProbeMissing", "removedApiVersion")
        .doesNotContain("deprecatedApiVersion");
    assertThat(results(result, "Deployment", "removedApiVersion")).singleElement()
        .satisfies(r -> {
          assertThat(r.passed()).isFalse();
          assertThat(r.error()).isFalse();
          assertThat(r.severity()).isEqualTo(Severity.HIGH);
          assertThat(r.message()).isEqualTo("Deployment web uses apiVersion extensions/v1beta1, "
              + "removed in Kubernetes 1.16 (audited for 1.36): use apiVersion apps/v1");
        });
  }

  @Test
  void theVerdictFollowsTheKubernetesVersionGiven() {
    // 1.8: before the deprecation; 1.9-1.15 deprecated; from 1.16 removed.
    assertThat(results(audit("1.8", OLD_DEPLOYMENT), "Deployment", "deprecatedApiVersion"))
        .singleElement().satisfies(r -> assertThat(r.passed()).isTrue());
    assertThat(results(audit("1.8", OLD_DEPLOYMENT), "Deployment", "removedApiVersion"))
        .singleElement().satisfies(r -> assertThat(r.passed()).isTrue());
    AuditResult at115 = audit("v1.15.12", OLD_DEPLOYMENT);
    assertThat(results(at115, "Deployment", "deprecatedApiVersion")).singleElement()
        .satisfies(r -> assertThat(r.message()).isEqualTo("Deployment web uses apiVersion "
            + "extensions/v1beta1, deprecated since Kubernetes 1.9 and removed in 1.16 "
            + "(audited for 1.15): use apiVersion apps/v1"));
    assertThat(results(at115, "Deployment", "removedApiVersion")).singleElement()
        .satisfies(r -> assertThat(r.passed()).isTrue());
    assertThat(results(audit("1.16", OLD_DEPLOYMENT), "Deployment", "removedApiVersion"))
        .singleElement().satisfies(r -> assertThat(r.passed()).isFalse());
  }

  @Test
  void aKindNoOtherCheckKnowsIsReportedWithWhatToDoInstead() {
    AuditResult result = audit("1.36", PSP);
    assertThat(result.subjects()).singleElement().satisfies(s -> {
      assertThat(s.workload()).isFalse();
      assertThat(s.failures()).singleElement().satisfies(r -> {
        assertThat(r.check()).isEqualTo("removedApiVersion");
        assertThat(r.message()).startsWith("PodSecurityPolicy restricted uses apiVersion "
            + "policy/v1beta1, removed in Kubernetes 1.25 (audited for 1.36): enforce the Pod "
            + "Security Standards with Pod Security Admission");
      });
    });
  }

  @Test
  void objectsInCurrentApiVersionsAreSkippedAndUndeclaredKindsStillSaid() {
    AuditResult result = audit("1.36", OTHERS);
    assertThat(result.subjects()).as("nothing to say about a v1 LimitRange or a Rollout").isEmpty();
    assertThat(result.skipped()).isEqualTo(2);
    assertThat(result.undeclared()).singleElement()
        .satisfies(u -> assertThat(u.kind()).isEqualTo("Rollout"));
  }

  @Test
  void systemNamespacesAndExemptObjectsAreNotJudged() {
    AuditResult result = audit("1.36", """
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: {name: dns, namespace: kube-system}
        spec: {maxUnavailable: 1}
        ---
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata:
          name: legacy
          namespace: shop
          annotations: {devops.stochastic.io/exempt-checks: removedApiVersion}
        spec: {maxUnavailable: 1}
        """);
    assertThat(results(result, "PodDisruptionBudget", "removedApiVersion")).isEmpty();
  }

  @Test
  void theDefaultIsTheVersionTheEngineSettingsCarry() {
    assertThat(EngineSettings.DEFAULT.kubernetesVersion()).isEqualTo(KubernetesVersion.DEFAULT);
    var batch = TestUtils.readYaml("test.yaml", OLD_DEPLOYMENT);
    AuditResult result = TestUtils.engine().audit(batch.toObjectSet(), ns -> BASELINE);
    assertThat(results(result, "Deployment", "removedApiVersion")).singleElement()
        .satisfies(r -> assertThat(r.message()).contains("(audited for "
            + KubernetesVersion.DEFAULT + ")"));
  }
}
