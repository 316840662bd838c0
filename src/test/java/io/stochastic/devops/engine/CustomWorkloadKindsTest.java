package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.engine.result.UndeclaredKind;
import io.stochastic.devops.engine.workload.DeclaredWorkloadKind;
import io.stochastic.devops.engine.workload.WorkloadKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Custom workload kinds (issue #10): declared, judged like a Deployment; undeclared, said. */
class CustomWorkloadKindsTest {
  private static final Path FIXTURES = Path.of("src/test/resources/workload-kinds");
  private static final EffectivePolicy BASELINE = TestUtils.bundle("baseline");

  private static EffectivePolicy declaringPolicy() throws IOException {
    return TestUtils.resolve(Files.readString(FIXTURES.resolve("policy.yaml")));
  }

  private static AuditResult audit(EffectivePolicy policy, String... files) {
    Path[] paths = new Path[files.length];
    for (int i = 0; i < files.length; i++) {
      paths[i] = FIXTURES.resolve(files[i]);
    }
    return TestUtils.engine().audit(TestUtils.read(paths).toObjectSet(), ns -> policy);
  }

  /** Checks for named kinds only (deploymentMissingReplicas: Deployment). */
  private static final Set<String> KIND_SPECIFIC = TestUtils.catalog().definitions().stream()
      .filter(d -> !d.kinds().isEmpty()).map(CheckDefinition::id).collect(Collectors.toSet());

  /**
   * Check, severity, container, pass and message of each result of the checks that judge every
   * workload kind (container, pod and generic workload checks), in order.
   */
  private static List<String> verdicts(SubjectResult subject) {
    return subject.results().stream().filter(r -> !KIND_SPECIFIC.contains(r.check()))
        .map(r -> r.check() + "/" + r.severity() + "/" + r.container() + "/" + r.passed() + "/"
            + r.message().replace(subject.object().kind(), "KIND"))
        .toList();
  }

  private static List<String> deploymentVerdicts(EffectivePolicy policy) {
    return verdicts(audit(policy, "deployment.yaml").subjects().get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rollout.yaml", "knative-service.yaml", "cloneset.yaml"})
  void aKindDeclaredByThePolicyIsJudgedExactlyLikeADeployment(String file) throws IOException {
    EffectivePolicy policy = declaringPolicy();
    AuditResult result = audit(policy, file);
    assertThat(result.subjects()).singleElement().satisfies(s -> {
      assertThat(verdicts(s)).isNotEmpty().isEqualTo(deploymentVerdicts(policy));
      assertThat(s.failures()).extracting(CheckResult::check).contains("tagNotSpecified",
          "livenessProbeMissing", "cpuLimitsMissing");
    });
    assertThat(result.undeclared()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Rollout.argoproj.io", "Service.serving.knative.dev=spec.template",
      "CloneSet=spec.template"})
  void aKindDeclaredOnTheCommandLineIsJudgedLikeADeployment(String flag) {
    EffectivePolicy policy = BASELINE.withWorkloadKinds(List.of(DeclaredWorkloadKind.parse(flag)));
    String file = switch (flag.substring(0, flag.indexOf('.') < 0 ? flag.indexOf('=')
        : flag.indexOf('.'))) {
      case "Rollout" -> "rollout.yaml";
      case "Service" -> "knative-service.yaml";
      default -> "cloneset.yaml";
    };
    assertThat(audit(policy, file).subjects()).singleElement()
        .satisfies(s -> assertThat(verdicts(s)).isEqualTo(deploymentVerdicts(BASELINE)));
  }

  @Test
  void undeclaredKindsWithAPodTemplateAreSkippedAndCountedByKind() {
    AuditResult result = audit(BASELINE, "rollout.yaml", "knative-service.yaml",
        "cloneset.yaml", "deployment.yaml");
    assertThat(result.subjects()).singleElement()
        .satisfies(s -> assertThat(s.object().kind()).isEqualTo("Deployment"));
    assertThat(result.skipped()).isEqualTo(3);
    assertThat(result.undeclared()).extracting(UndeclaredKind::declaration).containsExactly(
        "CloneSet.apps.kruise.io=spec.template", "Rollout.argoproj.io=spec.template",
        "Service.serving.knative.dev=spec.template");
    assertThat(result.undeclared()).allSatisfy(u -> assertThat(u.objects()).isEqualTo(1));
  }

  @Test
  void aKindDeclaredInAnotherGroupIsStillUndeclared() {
    EffectivePolicy policy = BASELINE.withWorkloadKinds(
        List.of(DeclaredWorkloadKind.parse("Rollout.example.com")));
    AuditResult result = audit(policy, "rollout.yaml");
    assertThat(result.subjects()).isEmpty();
    assertThat(result.undeclared()).extracting(UndeclaredKind::name)
        .containsExactly("Rollout.argoproj.io");
  }

  @Test
  void podsOfACustomKindsReplicaSetAreJudgedThroughIt() {
    EffectivePolicy policy = BASELINE.withWorkloadKinds(
        List.of(DeclaredWorkloadKind.parse("Rollout.argoproj.io")));
    AuditResult result = audit(policy, "rollout-pods.yaml");
    assertThat(result.subjects()).singleElement().satisfies(s -> {
      assertThat(s.object().kind()).isEqualTo("Rollout");
      // The pod's restarts count against the Rollout that runs it.
      assertThat(s.failures()).extracting(CheckResult::check).contains("restartCountTooHigh");
    });
    assertThat(result.owned()).isEqualTo(2);
  }

  @Test
  void withoutTheDeclarationTheReplicaSetIsTheTopOwner() {
    AuditResult result = audit(BASELINE, "rollout-pods.yaml");
    assertThat(result.subjects()).extracting(s -> s.object().kind())
        .containsExactly("ReplicaSet");
    assertThat(result.undeclared()).extracting(UndeclaredKind::name)
        .containsExactly("Rollout.argoproj.io");
  }

  @Test
  void lookupIsByKindAndGroupAndNeverRedefinesABuiltInKind() {
    WorkloadKinds kinds = WorkloadKinds.of(List.of(
        DeclaredWorkloadKind.parse("Rollout.argoproj.io"),
        DeclaredWorkloadKind.parse("CloneSet=spec.cloneTemplate"),
        DeclaredWorkloadKind.parse("Deployment=spec.other")));
    assertThat(kinds.podPointer("argoproj.io", "Rollout")).isEqualTo("/spec/template");
    assertThat(kinds.podPointer("example.com", "Rollout")).isNull();
    assertThat(kinds.podPointer("apps.kruise.io", "CloneSet")).isEqualTo("/spec/cloneTemplate");
    assertThat(kinds.podPointer("apps", "Deployment")).isEqualTo("/spec/template");
    assertThat(kinds.podPointer("", "Pod")).isEmpty();
    assertThat(kinds.podPointer("example.com", "Deployment")).isEqualTo("/spec/other");
    assertThat(WorkloadKinds.BUILT_IN.podPointer("argoproj.io", "Rollout")).isNull();
  }

  @Test
  void theCommandLineSyntaxIsParsedAndBadValuesAreNamed() {
    assertThat(DeclaredWorkloadKind.parse("Rollout.argoproj.io"))
        .isEqualTo(new DeclaredWorkloadKind("argoproj.io", "Rollout", "spec.template"));
    assertThat(DeclaredWorkloadKind.parse("Workflow.argoproj.io=spec.podSpecTemplate")
        .podPointer()).isEqualTo("/spec/podSpecTemplate");
    assertThatThrownBy(() -> DeclaredWorkloadKind.parse("rollout"))
        .hasMessageContaining("'rollout'").hasMessageContaining("is not a kind");
    assertThatThrownBy(() -> DeclaredWorkloadKind.parse("Rollout.argoproj.io="))
        .hasMessageContaining("no path after '='");
    assertThatThrownBy(() -> DeclaredWorkloadKind.parse("Rollout.Argo_Proj=spec.template"))
        .hasMessageContaining("is not an API group");
    assertThatThrownBy(() -> DeclaredWorkloadKind.parse("Rollout=spec..template"))
        .hasMessageContaining("is not a dotted field path");
  }

  @Test
  void anAdvancedStatefulSetIsACustomKindWithTheNameOfABuiltInOne() {
    String yaml = """
        apiVersion: apps.kruise.io/v1beta1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: db, image: postgres}]
        """;
    AuditResult undeclared = TestUtils.engine().audit(
        TestUtils.readYaml("t.yaml", yaml).toObjectSet(), ns -> BASELINE);
    assertThat(undeclared.subjects()).isEmpty();
    assertThat(undeclared.undeclared()).extracting(UndeclaredKind::declaration)
        .containsExactly("StatefulSet.apps.kruise.io=spec.template");

    EffectivePolicy policy = BASELINE.withWorkloadKinds(
        List.of(DeclaredWorkloadKind.parse("StatefulSet.apps.kruise.io")));
    AuditResult declared = TestUtils.engine().audit(
        TestUtils.readYaml("t.yaml", yaml).toObjectSet(), ns -> policy);
    assertThat(declared.subjects()).singleElement().satisfies(s -> assertThat(s.failures())
        .extracting(CheckResult::check).contains("tagNotSpecified"));
  }

  @Test
  void aCustomCheckForADeclaredKindJudgesOnlyThatKind() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p, namespace: shop}
        spec:
          workloadKinds: [{group: argoproj.io, kind: Rollout}]
          customChecks:
            - id: canaryWithoutPause
              kinds: [Rollout]
              expression: "object.spec.strategy.canary.steps.all(s, !has(s.setWeight))"
        """);
    AuditResult result = audit(policy, "rollout.yaml", "deployment.yaml");
    assertThat(result.subjects()).hasSize(2).allSatisfy(s -> assertThat(s.results())
        .extracting(CheckResult::check).is(new org.assertj.core.api.Condition<>(
            checks -> checks.contains("canaryWithoutPause") == s.object().kind().equals("Rollout"),
            "canaryWithoutPause on the Rollout only")));
    assertThat(result.subjects().get(0).failures()).extracting(CheckResult::check)
        .contains("canaryWithoutPause");
  }

  @Test
  void anUndeclaredKindInASystemNamespaceIsNotReported() {
    AuditResult result = TestUtils.engine().audit(TestUtils.readYaml("t.yaml", """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: controller, namespace: kube-system}
        spec: {template: {spec: {containers: [{name: a, image: a:1}]}}}
        """).toObjectSet(), ns -> BASELINE);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.undeclared()).isEmpty();
  }
}
