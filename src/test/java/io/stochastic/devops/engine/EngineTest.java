package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineTest {
  private static final EffectivePolicy BASELINE = TestUtils.bundle("baseline");

  private static AuditResult audit(String yaml) {
    return TestUtils.engine().audit(TestUtils.readYaml("t.yaml", yaml).toObjectSet(),
        ns -> BASELINE);
  }

  private static List<String> failed(SubjectResult subject) {
    return subject.failures().stream().map(r -> r.check() + "/" + r.container()).toList();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "v1, Pod", "apps/v1, Deployment", "apps/v1beta1, Deployment", "apps/v1beta2, Deployment",
      "extensions/v1beta1, Deployment", "apps/v1, StatefulSet", "apps/v1beta1, StatefulSet",
      "apps/v1, DaemonSet", "extensions/v1beta1, DaemonSet", "apps/v1, ReplicaSet",
      "extensions/v1beta1, ReplicaSet", "v1, ReplicationController", "batch/v1, Job",
      "batch/v1, CronJob", "batch/v1beta1, CronJob"})
  void everyWorkloadKindAndApiVersionIsAudited(String apiVersion, String kind) {
    String podSpec = """
        containers:
          - name: app
            image: nginx:latest
        initContainers:
          - name: init
            image: busybox
        ephemeralContainers:
          - name: debug
            image: busybox:1.36
        """;
    String body = switch (kind) {
      case "Pod" -> "spec:\n" + podSpec.indent(2);
      case "CronJob" -> "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
          + podSpec.indent(10);
      default -> "spec:\n  template:\n    spec:\n" + podSpec.indent(6);
    };
    AuditResult result = audit("apiVersion: " + apiVersion + "\nkind: " + kind
        + "\nmetadata: {name: w}\n" + body);
    assertThat(result.subjects()).singleElement().satisfies(s -> {
      List<String> failures = failed(s);
      assertThat(failures).contains("tagNotSpecified/app", "tagNotSpecified/init");
      assertThat(s.results()).anyMatch(r -> "debug".equals(r.container()));
    });
  }

  @Test
  void aKindOfTheSameNameInAnotherGroupIsACustomResourceAndIsSkipped() {
    AuditResult result = audit("""
        apiVersion: example.com/v1
        kind: Deployment
        metadata: {name: not-a-workload}
        spec: {template: {spec: {containers: [{name: a, image: nginx}]}}}
        """);
    assertThat(result.subjects()).isEmpty();
    assertThat(result.skipped()).isEqualTo(1);
  }

  @Test
  void scoreIsTheWeightedRatioRoundedDown() {
    // Baseline on this Deployment: tagNotSpecified (high, 5) fails; the medium checks pass.
    AuditResult result = audit("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 2
          template:
            spec:
              securityContext: {runAsNonRoot: true}
              containers:
                - name: web
                  image: nginx
                  securityContext: {allowPrivilegeEscalation: false}
                  livenessProbe: {tcpSocket: {port: 80}}
                  readinessProbe: {tcpSocket: {port: 80}}
                  resources:
                    requests: {cpu: 100m, memory: 64Mi}
                    limits: {cpu: 200m, memory: 128Mi}
        """);
    SubjectResult web = result.subjects().get(0);
    assertThat(failed(web)).contains("tagNotSpecified/web");
    long passedWeight = web.results().stream().filter(CheckResult::passed)
        .mapToLong(r -> r.severity().weight()).sum();
    long totalWeight = web.results().stream().mapToLong(r -> r.severity().weight()).sum();
    assertThat(web.score().value()).isEqualTo((int) (100 * passedWeight / totalWeight));
    assertThat(result.score().value()).isEqualTo(web.score().value());
  }

  @Test
  void exemptAnnotationSkipsTheWorkloadAndExemptChecksSkipsChecks() {
    AuditResult result = audit("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: legacy
          annotations: {devops.stochastic.io/exempt: "true"}
        spec: {template: {spec: {containers: [{name: a, image: nginx}]}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: partly
          annotations:
            devops.stochastic.io/exempt-checks: "tagNotSpecified, livenessProbeMissing"
        spec: {containers: [{name: a, image: nginx}]}
        """);
    assertThat(result.exempt()).isEqualTo(1);
    assertThat(result.subjects()).singleElement().satisfies(s -> {
      assertThat(s.object().name()).isEqualTo("partly");
      assertThat(s.results()).noneMatch(r -> r.check().equals("tagNotSpecified")
          || r.check().equals("livenessProbeMissing"));
      assertThat(s.results()).anyMatch(r -> r.check().equals("readinessProbeMissing"));
    });
  }

  @Test
  void policyExemptionsMatchNamePatternsAndSelectors() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          exemptions:
            - checks: [tagNotSpecified]
              names: ["legacy-*"]
            - selector: {matchLabels: {tier: batch}}
        """);
    String yaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: legacy-api}
        spec: {containers: [{name: a, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cruncher, labels: {tier: batch}}
        spec: {containers: [{name: a, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: other}
        spec: {containers: [{name: a, image: nginx}]}
        """;
    AuditResult result = TestUtils.engine().audit(
        TestUtils.readYaml("t.yaml", yaml).toObjectSet(), ns -> policy);
    assertThat(result.subjects()).hasSize(3);
    assertThat(failed(result.subjects().get(0))).doesNotContain("tagNotSpecified/a")
        .contains("livenessProbeMissing/a");
    assertThat(result.subjects().get(1).results()).isEmpty();
    assertThat(failed(result.subjects().get(2))).contains("tagNotSpecified/a");
  }

  @Test
  void systemNamespacesAreNeverAudited() {
    AuditResult result = audit("""
        apiVersion: v1
        kind: Pod
        metadata: {name: coredns, namespace: kube-system}
        spec: {containers: [{name: a, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: issuer, namespace: cert-manager}
        spec: {containers: [{name: a, image: nginx}]}
        """);
    assertThat(result.subjects()).isEmpty();
    assertThat(result.exempt()).isEqualTo(2);

    Engine custom = new Engine(EngineSettings.withExtraSystemNamespaces(java.util.Set.of("ops")),
        TestUtils.CLOCK);
    assertThat(custom.audit(TestUtils.readYaml("t.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: ops}
        spec: {containers: [{name: a, image: nginx}]}
        """).toObjectSet(), ns -> BASELINE).exempt()).isEqualTo(1);
  }

  @Test
  void objectsNoCheckJudgesAreSkippedAndCounted() {
    AuditResult result = audit("""
        apiVersion: v1
        kind: LimitRange
        metadata: {name: defaults}
        spec: {limits: [{type: Container, default: {cpu: 500m}}]}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        """);
    assertThat(result.subjects()).isEmpty();
    assertThat(result.skipped()).isEqualTo(2);
    assertThat(result.score().value()).isEqualTo(100);
  }

  @Test
  void aCustomCheckFailsWithItsRenderedMessage() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          customChecks:
            - id: teamLabelMissing
              severity: low
              expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
              message: "${kind} ${name} has no team label"
        """);
    AuditResult result = TestUtils.engine().audit(ObjectSet.of(TestUtils.object("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec: {template: {spec: {containers: [{name: a, image: "nginx:1.27"}]}}}
        """)), ns -> policy);
    assertThat(result.subjects().get(0).failures())
        .filteredOn(r -> r.check().equals("teamLabelMissing"))
        .singleElement().satisfies(r -> {
          assertThat(r.message()).isEqualTo("Deployment web has no team label");
          assertThat(r.severity()).isEqualTo(Severity.LOW);
        });
  }

  @Test
  void aCheckThatCannotBeEvaluatedIsAFailedResultMarkedAsError() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          customChecks:
            - id: teamLabelMissing
              expression: "object.metadata.labels.team != ''"
        """);
    AuditResult result = TestUtils.engine().audit(ObjectSet.of(TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec: {containers: [{name: a, image: "nginx:1.27"}]}
        """)), ns -> policy);
    assertThat(result.subjects().get(0).failures())
        .filteredOn(r -> r.check().equals("teamLabelMissing"))
        .singleElement().satisfies(r -> {
          assertThat(r.error()).isTrue();
          assertThat(r.message()).startsWith("check could not be evaluated:");
        });
  }

  @Test
  void theCrossObjectCustomCheckOfTheDocsWorks() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          customChecks:
            - id: serviceMissing
              target: workload
              kinds: [Deployment]
              severity: low
              expression: >-
                related('Service').exists(s, has(s.spec.selector) &&
                  matchesSelector(s.spec.selector, podMetadata.?labels.orValue({})))
              message: "${kind} ${name} has no Service selecting its pods"
        """);
    String deployments = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: a, image: x}]}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: lonely, namespace: shop}
        spec: {template: {metadata: {labels: {app: lonely}}, spec: {containers: [{name: a, image: x}]}}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: elsewhere, namespace: other}
        spec: {selector: {app: lonely}}
        """;
    AuditResult result = TestUtils.engine().audit(
        TestUtils.readYaml("t.yaml", deployments).toObjectSet(), ns -> policy);
    // the Services are subjects too (serviceSelectsNoPods), the Deployments come first
    var workloads = result.subjects().stream().filter(SubjectResult::workload).toList();
    assertThat(workloads).hasSize(2);
    assertThat(workloads.get(0).failures()).noneMatch(r -> r.check().equals("serviceMissing"));
    assertThat(workloads.get(1).failures()).filteredOn(r -> r.check().equals("serviceMissing"))
        .singleElement().extracting(CheckResult::message)
        .isEqualTo("Deployment lonely has no Service selecting its pods");
  }

  @Test
  void aParallelAuditGivesTheSameResultsInTheSameOrderAsASequentialOne() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 1600; i++) {
      yaml.append("apiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i)
          .append(", namespace: ns").append(i % 7).append("}\nspec:\n  containers:\n")
          .append("    - {name: a, image: ").append(i % 3 == 0 ? "nginx" : "nginx:1.27")
          .append("}\n---\n");
    }
    ObjectSet objects = TestUtils.readYaml("many.yaml", yaml.toString()).toObjectSet();
    AuditResult sequential = new Engine(EngineSettings.DEFAULT.withParallelism(1),
        TestUtils.CLOCK).audit(objects, ns -> BASELINE);
    AuditResult parallel = new Engine(EngineSettings.DEFAULT.withParallelism(4),
        TestUtils.CLOCK).audit(objects, ns -> BASELINE);
    assertThat(parallel.subjects()).hasSize(1600);
    assertThat(parallel).isEqualTo(sequential);
  }

  @ParameterizedTest
  @CsvSource({"100, Healthy", "80, Healthy", "79, Stable", "60, Stable", "59, Degraded",
      "40, Degraded", "39, Critical", "0, Critical"})
  void classificationBands(int score, Classification expected) {
    assertThat(Classification.of(score)).isEqualTo(expected);
  }
}
