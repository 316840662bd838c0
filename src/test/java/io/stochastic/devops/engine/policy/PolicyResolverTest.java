package io.stochastic.devops.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.check.CheckCompilationException;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicyResolverTest {

  private static Set<String> ids(EffectivePolicy policy) {
    return policy.checks().stream().map(ActiveCheck::id).collect(Collectors.toSet());
  }

  @Test
  void restrictedEnablesEveryCheckAtItsDefaultSeverity() {
    EffectivePolicy restricted = TestUtils.bundle("restricted");
    assertThat(restricted.checks()).hasSize(TestUtils.catalog().definitions().size());
    for (CheckDefinition d : TestUtils.catalog().definitions()) {
      assertThat(restricted.check(d.id())).get().extracting(ActiveCheck::severity)
          .isEqualTo(d.severity());
    }
  }

  @Test
  void permissiveKeepsOnlyCriticalAndHighChecks() {
    Set<String> expected = TestUtils.catalog().definitions().stream()
        .filter(d -> d.severity().isAtLeast(Severity.HIGH))
        .map(CheckDefinition::id).collect(Collectors.toSet());
    assertThat(ids(TestUtils.bundle("permissive"))).isEqualTo(expected);
  }

  @Test
  void baselineIsTheDefaultAndASubsetOfRestricted() {
    EffectivePolicy defaulted = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p, namespace: shop}
        spec: {}
        """);
    assertThat(defaulted.bundle()).isEqualTo("baseline");
    assertThat(ids(defaulted)).isEqualTo(ids(TestUtils.bundle("baseline")));
    assertThat(ids(TestUtils.bundle("restricted"))).containsAll(ids(defaulted));
  }

  @Test
  void togglesTurnTheirChecksOffAndOn() {
    EffectivePolicy off = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          bundle: restricted
          forbidLatestTag: false
          requireLivenessProbe: false
          requireReadinessProbe: false
          requireResourceLimits: false
        """);
    assertThat(ids(off)).doesNotContain("tagNotSpecified", "livenessProbeMissing",
        "readinessProbeMissing", "cpuLimitsMissing", "memoryLimitsMissing");

    EffectivePolicy on = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          bundle: permissive
          requireLivenessProbe: true
          requireResourceLimits: true
        """);
    assertThat(ids(on)).contains("livenessProbeMissing", "cpuLimitsMissing",
        "memoryLimitsMissing");
  }

  @Test
  void numericTogglesEnableTheirCheckWithTheThreshold() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          bundle: permissive
          maxRestartCount: 7
          forbidPendingDuration: 120
        """);
    assertThat(policy.check("restartCountTooHigh")).get()
        .extracting(c -> c.params().get("maxRestartCount")).isEqualTo(7L);
    assertThat(policy.check("pendingTooLong")).get()
        .extracting(c -> c.params().get("forbidPendingDuration")).isEqualTo(120L);
  }

  @Test
  void severityOverridesComeLastAndOffWins() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          requireLivenessProbe: true
          severityOverrides:
            livenessProbeMissing: "off"
            tagNotSpecified: critical
            noSuchCheck: low
        """);
    assertThat(policy.check("livenessProbeMissing")).isEmpty();
    assertThat(policy.check("tagNotSpecified")).get().extracting(ActiveCheck::severity)
        .isEqualTo(Severity.CRITICAL);
    assertThat(policy.warnings()).singleElement().asString().contains("noSuchCheck");
  }

  @Test
  void customChecksAreCompiledOnceAndEnabled() {
    String yaml = """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team-rules, namespace: shop}
        spec:
          customChecks:
            - id: teamLabelMissing
              severity: low
              expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
              message: "${kind} ${name} has no team label"
        """;
    EffectivePolicy first = TestUtils.resolve(yaml);
    EffectivePolicy second = TestUtils.resolve(yaml);
    assertThat(first.check("teamLabelMissing")).get().satisfies(c -> {
      assertThat(c.severity()).isEqualTo(Severity.LOW);
      assertThat(c.check().definition().custom()).isTrue();
    });
    assertThat(first.check("teamLabelMissing").get().check())
        .isSameAs(second.check("teamLabelMissing").get().check());
  }

  @Test
  void aCustomCheckThatDoesNotCompileNamesThePolicyAndTheCheck() {
    assertThatThrownBy(() -> TestUtils.resolver().resolve(TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team-rules, namespace: shop}
        spec:
          customChecks:
            - id: brokenCheck
              expression: "object.metadata.labels.exists(l, "
        """), "policies/shop.yaml#0"))
        .isInstanceOf(CheckCompilationException.class)
        .hasMessageStartingWith("policies/shop.yaml#0: check brokenCheck (expression): CEL does "
            + "not compile")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aCustomCheckCannotTakeABuiltInId() {
    assertThatThrownBy(() -> TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          customChecks:
            - id: tagNotSpecified
              expression: "true"
        """)).isInstanceOf(EngineException.class).hasMessageContaining("built-in check");
  }

  @Test
  void remediationSettingsMakeChecksRemediable() {
    EffectivePolicy without = TestUtils.bundle("baseline");
    assertThat(without.check("livenessProbeMissing")).get()
        .extracting(ActiveCheck::remediable).isEqualTo(false);
    EffectivePolicy with = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          remediation:
            livenessProbe: {tcpSocket: {port: 8080}}
        """);
    assertThat(with.check("livenessProbeMissing")).get()
        .extracting(ActiveCheck::remediable).isEqualTo(true);
    assertThat(with.remediation()).containsKey("livenessProbe");
  }

  @Test
  void aRiskyFixIsRemediableOnlyWhenThePolicyAllowsIt() {
    EffectivePolicy restricted = TestUtils.bundle("restricted");
    assertThat(restricted.check("runAsRootAllowed")).get()
        .extracting(ActiveCheck::remediable).isEqualTo(false);
    assertThat(restricted.check("pullPolicyNotAlways")).get()
        .extracting(ActiveCheck::remediable).isEqualTo(true);
    EffectivePolicy optedIn = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          bundle: restricted
          remediation:
            allowRiskyFixes: [runAsRootAllowed]
        """);
    assertThat(optedIn.check("runAsRootAllowed")).get()
        .extracting(ActiveCheck::remediable).isEqualTo(true);
    assertThat(optedIn.check("notReadOnlyRootFilesystem")).get()
        .extracting(ActiveCheck::remediable).isEqualTo(false);
  }

  @Test
  void enforcementAndDenySeverityComeFromThePolicy() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          enforcementMode: enforce
          admission: {denySeverity: critical}
        """);
    assertThat(policy.enforce()).isTrue();
    assertThat(policy.denySeverity()).isEqualTo(Severity.CRITICAL);
    assertThat(TestUtils.bundle("baseline").denySeverity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void checkParametersOverrideTheDefaults() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          bundle: restricted
          checkParameters:
            imageRegistryNotAllowed:
              allowedRegistries: [registry.example.com, ghcr.io/acme]
            tooManyContainers:
              maxContainers: 6
        """);
    assertThat(policy.check("imageRegistryNotAllowed")).get()
        .extracting(c -> c.params().get("allowedRegistries"))
        .isEqualTo(List.of("registry.example.com", "ghcr.io/acme"));
    assertThat(policy.check("tooManyContainers")).get()
        .extracting(c -> c.params().get("maxContainers")).isEqualTo(6L);
    // A check the policy leaves alone keeps the bundle's parameters.
    assertThat(policy.check("restartCountTooHigh")).get()
        .extracting(c -> c.params().get("maxRestartCount")).isEqualTo(
            TestUtils.bundle("restricted").check("restartCountTooHigh").orElseThrow().params()
                .get("maxRestartCount"));
  }

  @Test
  void anExplicitCheckParameterWinsOverTheNumericToggle() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          maxRestartCount: 7
          checkParameters:
            restartCountTooHigh: {maxRestartCount: 2}
        """);
    assertThat(policy.check("restartCountTooHigh")).get()
        .extracting(c -> c.params().get("maxRestartCount")).isEqualTo(2L);
  }

  @Test
  void checkParametersLayerThePolicyOverTheBundle() {
    DevOpsPolicy bundle = TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: baseline}
        spec:
          maxRestartCount: 9
          severityOverrides: {imageRegistryNotAllowed: high}
          checkParameters:
            imageRegistryNotAllowed: {allowedRegistries: [bundle.example.com]}
            tooManyContainers: {maxContainers: 3}
            pendingTooLong: {forbidPendingDuration: 60}
        """);
    PolicyResolver resolver = new PolicyResolver(TestUtils.catalog(),
        BundleRepository.of(Map.of("baseline", bundle)));
    EffectivePolicy policy = resolver.resolve(TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          forbidPendingDuration: 30
          checkParameters:
            tooManyContainers: {maxContainers: 5}
        """), "p.yaml");
    // The bundle's parameters where the policy sets none, the policy's over them.
    assertThat(policy.check("imageRegistryNotAllowed")).get()
        .extracting(c -> c.params().get("allowedRegistries"))
        .isEqualTo(List.of("bundle.example.com"));
    assertThat(policy.check("tooManyContainers")).get()
        .extracting(c -> c.params().get("maxContainers")).isEqualTo(5L);
    assertThat(policy.check("restartCountTooHigh")).get()
        .extracting(c -> c.params().get("maxRestartCount")).isEqualTo(9L);
    // A toggle of the policy wins over the bundle's explicit parameter: later layer first.
    assertThat(policy.check("pendingTooLong")).get()
        .extracting(c -> c.params().get("forbidPendingDuration")).isEqualTo(30L);
  }

  /** Resolves, as p.yaml, a policy with this spec (YAML indented by two). */
  private static EffectivePolicy resolveSpec(String spec) {
    return TestUtils.resolver().resolve(TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
        """ + spec.indent(2)), "p.yaml");
  }

  @Test
  void aCheckParameterForAnUnknownCheckNamesThePolicyAndTheCheck() {
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          tooManyContainer: {maxContainers: 6}
        """)).isInstanceOf(EngineException.class)
        .hasMessage("p.yaml: spec.checkParameters.tooManyContainer: unknown check id "
            + "\"tooManyContainer\" (see 'kube-devops checks list')");
  }

  @Test
  void aParameterTheCheckDoesNotDeclareIsAnError() {
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          tooManyContainers: {maxContainer: 6}
        """))
        .hasMessage("p.yaml: spec.checkParameters.tooManyContainers.maxContainer: check "
            + "tooManyContainers has no parameter maxContainer (its parameters: maxContainers)");
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          runAsPrivileged: {anything: 1}
        """))
        .hasMessage("p.yaml: spec.checkParameters.runAsPrivileged.anything: check "
            + "runAsPrivileged has no parameters");
  }

  @Test
  void aValueOfAnotherTypeThanTheDefaultIsAnError() {
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          imageRegistryNotAllowed: {allowedRegistries: registry.example.com}
        """))
        .hasMessageStartingWith("p.yaml: spec.checkParameters.imageRegistryNotAllowed"
            + ".allowedRegistries: parameter allowedRegistries of check imageRegistryNotAllowed "
            + "takes a list (its default is [registry.k8s.io,")
        .hasMessageEndingWith("), not a string");
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          tooManyContainers: {maxContainers: "6"}
        """)).hasMessage("p.yaml: spec.checkParameters.tooManyContainers"
            + ".maxContainers: parameter maxContainers of check tooManyContainers takes a "
            + "number (its default is 4), not a string");
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          tooManyContainers: {maxContainers: 6.5}
        """)).hasMessageEndingWith("takes a whole number (its default is 4), not 6.5");
    assertThatThrownBy(() -> resolveSpec("""
        checkParameters:
          imageRegistryNotAllowed: {allowedRegistries: [ghcr.io, 5]}
        """)).hasMessageEndingWith("takes a list of strings, but item 1 is a number");
  }

  @Test
  void aCustomCheckDeclaresNoParameters() {
    assertThatThrownBy(() -> resolveSpec("""
        customChecks:
          - id: teamLabelMissing
            expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
        checkParameters:
          teamLabelMissing: {label: team}
        """)).hasMessage("p.yaml: spec.checkParameters.teamLabelMissing.label: "
            + "check teamLabelMissing has no parameters");
  }

  @Test
  void anInvalidPolicyValueNamesTheField() {
    assertThatThrownBy(() -> TestUtils.policy("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec: {bundle: strict}
        """)).isInstanceOf(EngineException.class)
        .hasMessageContaining("field spec.bundle: invalid value 'strict'");
  }

  @Test
  void commandLineTogglesTurnChecksOnAndOffOverThePolicy() {
    EffectivePolicy baseline = TestUtils.bundle("baseline");
    EffectivePolicy severe = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p, namespace: shop}
        spec:
          severityOverrides: {livenessProbeMissing: critical}
        """);
    assertThat(baseline.check("linuxHardening")).isEmpty();
    EffectivePolicy toggled = TestUtils.resolver().withToggles(severe,
        java.util.List.of("linuxHardening", "livenessProbeMissing"),
        java.util.List.of("tagNotSpecified"));
    assertThat(toggled.check("linuxHardening")).get()
        .extracting(ActiveCheck::severity).isEqualTo(Severity.MEDIUM);
    assertThat(toggled.check("livenessProbeMissing")).as("the policy's severity is kept").get()
        .extracting(ActiveCheck::severity).isEqualTo(Severity.CRITICAL);
    assertThat(toggled.check("tagNotSpecified")).isEmpty();
    assertThat(toggled.name()).isEqualTo(severe.name());
    assertThat(TestUtils.resolver().withToggles(baseline, java.util.List.of(),
        java.util.List.of())).isSameAs(baseline);
  }
}
