package io.stochastic.devops.engine.vap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.vap.VapExporter.Action;
import io.stochastic.devops.engine.vap.VapExporter.Export;
import io.stochastic.devops.engine.vap.VapExporter.Kept;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape of exported policies; {@code VapParityIT} proves what they decide. */
class VapExporterTest {
  private static final VapExporter EXPORTER = new VapExporter(TestUtils.celEnvironment(),
      EngineSettings.DEFAULT_SYSTEM_NAMESPACES);

  @Test
  void everyBundleAndExamplePolicyExportsAPolicyAndABindingPerExportableCheck() throws Exception {
    List<EffectivePolicy> policies = new java.util.ArrayList<>();
    for (String bundle : List.of("baseline", "restricted", "permissive", "pss-baseline",
        "pss-restricted")) {
      policies.add(TestUtils.bundle(bundle));
    }
    try (Stream<Path> files = Files.walk(Path.of("policies/namespaces"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        policies.add(TestUtils.resolve(Files.readString(file)));
      }
    }
    assertThat(policies).hasSizeGreaterThan(5);
    for (EffectivePolicy policy : policies) {
      Export export = EXPORTER.export(policy, "p", "shop", Action.DENY);
      long exported = policy.checks().size() - export.kept().size();
      assertThat(exported).as("checks of %s exported", policy.name()).isPositive();
      assertThat(export.objects()).as("objects of %s", policy.name()).hasSize((int) exported * 2);
      for (int i = 0; i < export.objects().size(); i += 2) {
        Map<String, Object> vap = export.objects().get(i);
        Map<String, Object> binding = export.objects().get(i + 1);
        assertThat(vap.get("kind")).isEqualTo(VapExporter.POLICY_KIND);
        assertThat(binding.get("kind")).isEqualTo(VapExporter.BINDING_KIND);
        assertThat(spec(binding).get("policyName")).isEqualTo(name(vap));
        List<?> validations = (List<?>) spec(vap).get("validations");
        assertThat(validations).hasSize(1);
        assertThat(((Map<?, ?>) validations.get(0)).keySet().stream().map(String::valueOf).toList()).contains("expression",
            "messageExpression", "message");
      }
      assertThat(export.kept()).allSatisfy(k -> assertThat(k.reason()).isNotBlank());
    }
  }

  @Test
  void crossObjectAndRuntimeChecksStayWithTheWebhookAndOperatorWithTheirReason() {
    Export export = EXPORTER.export(TestUtils.bundle("restricted"), "r", null, Action.DENY);
    Map<String, String> kept = export.kept().stream()
        .collect(java.util.stream.Collectors.toMap(Kept::id, Kept::reason));
    assertThat(kept.get("missingNetworkPolicy")).contains("related(NetworkPolicy)");
    assertThat(kept.get("restartCountTooHigh")).contains("runtime status (containerStatus)");
    assertThat(kept.get("oneController")).contains("refuses");
    assertThat(kept).doesNotContainKeys("hostPortSet", "resourceRange", "clusterrolePodExecAttach");
    assertThat(new Kept("x", "why").line()).isEqualTo("stays with the webhook / operator: x (why)");
  }

  @Test
  void aCustomCheckExportsWithoutCodeOfItsOwnUnlessItCallsWhatTheApiServerLacks() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team, namespace: shop}
        spec:
          bundle: permissive
          customChecks:
            - id: teamLabelMissing
              target: workload
              severity: high
              kinds: [Deployment]
              expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
              message: "${kind} ${name} has no team label"
            - id: selectsItself
              target: workload
              severity: low
              expression: "matchesSelector({'app': 'x'}, podMetadata.?labels.orValue({}))"
              message: "${name}"
        """);
    Export export = EXPORTER.export(policy, "shop-team", "shop", Action.DENY);
    Map<String, Object> vap = export.objects().stream()
        .filter(o -> name(o).equals("kube-devops-shop-team-team-label-missing")).findFirst()
        .orElseThrow();
    String validation = String.valueOf(((Map<?, ?>) ((List<?>) spec(vap).get("validations"))
        .get(0)).get("expression"));
    assertThat(validation).contains("'team' in object.metadata.labels");
    assertThat(String.valueOf(spec(vap).get("matchConstraints"))).contains("deployments")
        .doesNotContain("pods");
    assertThat(export.kept()).extracting(Kept::id).contains("selectsItself");
    assertThat(export.kept().stream().filter(k -> k.id().equals("selectsItself")).findFirst()
        .orElseThrow().reason()).contains("matchesSelector()").contains("lacks");
  }

  @Test
  void bindingsSelectThePolicyNamespaceOrEveryNamespaceButTheSystemOnes() {
    EffectivePolicy bundle = TestUtils.bundle("baseline");
    Map<String, Object> scoped = EXPORTER.export(bundle, "b", "shop", Action.DENY).objects().get(1);
    assertThat(String.valueOf(spec(scoped).get("matchResources")))
        .contains("kubernetes.io/metadata.name", "operator=In", "values=[shop]");
    Map<String, Object> all = EXPORTER.export(bundle, "b", null, Action.DENY).objects().get(1);
    assertThat(String.valueOf(spec(all).get("matchResources")))
        .contains("operator=NotIn", "kube-system", "kube-public", "kube-node-lease");
  }

  @Test
  void checksAtOrAboveDenySeverityDenyTheOthersWarnUnlessTheActionSaysOtherwise() {
    EffectivePolicy policy = TestUtils.bundle("restricted");
    Export export = EXPORTER.export(policy, "r", null, Action.DENY);
    for (int i = 0; i < export.objects().size(); i += 2) {
      String severity = String.valueOf(((Map<?, ?>) ((Map<?, ?>) export.objects().get(i)
          .get("metadata")).get("annotations")).get(VapExporter.SEVERITY_ANNOTATION));
      boolean denies = io.stochastic.devops.engine.Severity.parse(severity)
          .isAtLeast(policy.denySeverity());
      assertThat(spec(export.objects().get(i + 1)).get("validationActions"))
          .isEqualTo(List.of(denies ? "Deny" : "Warn"));
    }
    Export audit = EXPORTER.export(policy, "r", null, Action.AUDIT);
    assertThat(audit.objects()).filteredOn(o -> VapExporter.BINDING_KIND.equals(o.get("kind")))
        .allSatisfy(b -> assertThat(spec(b).get("validationActions"))
            .isEqualTo(List.of("Audit")));
  }

  @Test
  void exemptionsAndExemptionAnnotationsAreMatchConditions() {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop}
        spec:
          bundle: restricted
          exemptions:
            - checks: [hostPortSet]
              names: ["legacy-*"]
              selector: {matchLabels: {tier: batch}}
        """);
    Export export = EXPORTER.export(policy, "shop", "shop", Action.DENY);
    String hostPort = String.valueOf(spec(export.objects().stream()
        .filter(o -> name(o).endsWith("-host-port-set")).findFirst().orElseThrow())
        .get("matchConditions"));
    assertThat(hostPort).contains("not-exempted-by-policy", "'^(?:legacy-.*)$'", "'tier' in l",
        "devops.stochastic.io/exempt-checks", "polaris.fairwinds.com/hostPortSet-exempt",
        "controller");
    String other = String.valueOf(spec(export.objects().stream()
        .filter(o -> name(o).endsWith("-host-network-set")).findFirst().orElseThrow())
        .get("matchConditions"));
    assertThat(other).doesNotContain("not-exempted-by-policy");
  }

  @Test
  void quantitiesBecomeTheApiServersAndStringLiteralsAreLeftAlone() {
    assertThat(CelRewrite.quantities("quantity(a.b) <= quantity(params.max)"))
        .isEqualTo("quantity(string(a.b)).asApproximateFloat() <= "
            + "quantity(string(params.max)).asApproximateFloat()");
    assertThat(CelRewrite.quantities("'quantity(x)' + isQuantity('1') + r\"quantity(\""))
        .isEqualTo("'quantity(x)' + isQuantity('1') + r\"quantity(\"");
    assertThat(CelRewrite.quantities("quantity(f(quantity(x)))"))
        .isEqualTo("quantity(string(f(quantity(string(x)).asApproximateFloat())))"
            + ".asApproximateFloat()");
  }

  @Test
  void literalsAndNames() {
    assertThat(VapExporter.literal(Map.of("a", List.of("x", 1L))))
        .isEqualTo("{'a': dyn([dyn('x'), dyn(1)])}");
    assertThat(VapExporter.literal("it's\\")).isEqualTo("'it\\'s\\\\'");
    assertThat(VapExporter.literal(2.0)).isEqualTo("2.0");
    assertThat(VapExporter.kebab("pdbMinAvailableGreaterThanHPAMinReplicas"))
        .isEqualTo("pdb-min-available-greater-than-hpa-min-replicas");
    assertThat(VapExporter.dnsName("bundle baseline")).isEqualTo("bundle-baseline");
    assertThat(VapExporter.unquote(io.stochastic.devops.engine.policy.Exemption
        .glob("a.b-*?").pattern())).isEqualTo("a\\.b-.*.");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> object) {
    return (Map<String, Object>) object.get("spec");
  }

  private static String name(Map<String, Object> object) {
    return String.valueOf(((Map<?, ?>) object.get("metadata")).get("name"));
  }
}
