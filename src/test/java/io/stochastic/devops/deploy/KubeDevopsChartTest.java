package io.stochastic.devops.deploy;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.TestUtils.CliRun;
import io.stochastic.devops.deploy.ChartManifests.Manifest;
import io.stochastic.devops.deploy.RbacModel.ComponentRbac;
import io.stochastic.devops.deploy.RbacRule.Scope;
import io.stochastic.devops.deploy.observability.AlertRules;
import io.stochastic.devops.deploy.observability.AlertThresholds;
import io.stochastic.devops.deploy.observability.Dashboard;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.helm.HelmChart;
import io.stochastic.devops.webhook.WebhookConfigurations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart {@code helm/kube-devops}, rendered in-process with the real Helm: lint clean,
 * a score of 100 under our own {@code restricted} bundle with the default values and with every
 * component on, the roles {@code deploy generate-rbac} prints, the webhook configurations {@code
 * webhook install-config} prints, the repository's CRDs, and {@code deploy generate-all} printing
 * what the chart renders. {@code HelmChartDryRunIT} sends the same renders to a real API server.
 */
class KubeDevopsChartTest {
  static final Path CHART = Path.of(ChartManifests.CHART);
  static final Path ALL_ENABLED = Path.of("src/test/resources/helm/all-enabled-values.yaml");
  private static final String NAMESPACE = "kube-devops";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static List<Manifest> defaults;
  private static List<Manifest> allEnabled;

  @BeforeAll
  static void render() {
    defaults = render(List.of(), Map.of());
    allEnabled = render(List.of(ALL_ENABLED), Map.of());
  }

  static List<Manifest> render(List<Path> valuesFiles, Map<String, String> values) {
    return render(valuesFiles, values, NAMESPACE);
  }

  static List<Manifest> render(List<Path> valuesFiles, Map<String, String> values,
      String namespace) {
    return ChartManifests.split(new HelmChart(CHART, valuesFiles, values, ChartManifests.RELEASE,
        namespace).render());
  }

  private static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  private static Manifest one(List<Manifest> manifests, String kind, String name) {
    List<Manifest> found = manifests.stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name)).toList();
    assertThat(found).as(kind + " " + name).hasSize(1);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> object, String... path) {
    Object value = object;
    for (String key : path) {
      value = ((Map<String, Object>) value).get(key);
    }
    return (T) value;
  }

  @Test
  void helmLintFindsNothingWithTheStrictFlag() {
    System.setProperty("com.marcnuri.jkube-helm.skipRemoteJar", "true");
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    // [INFO] "icon is recommended" stays: the project has no icon to point at.
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void theChartsCrdsAreTheRepositorysCrds() throws IOException {
    List<String> repository = fileNames(Path.of("crds"));
    assertThat(fileNames(CHART.resolve("crds"))).isEqualTo(repository);
    for (String file : repository) {
      assertThat(Files.readString(CHART.resolve("crds").resolve(file)))
          .as("helm/kube-devops/crds/" + file + " differs from crds/" + file + ": copy it again")
          .isEqualTo(Files.readString(Path.of("crds").resolve(file)));
    }
  }

  private static List<String> fileNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default values", "all enabled"})
  void scoresOneHundredUnderTheRestrictedBundleWithoutExemptions(String values) throws IOException {
    List<String> args = new ArrayList<>(List.of("audit", "--helm-chart", CHART.toString(),
        "--helm-release", ChartManifests.RELEASE, "-n", NAMESPACE, "--bundle", "restricted",
        "--disable", ShippedManifestsRestrictedTest.NOT_DEMANDED_OF_SHIPPED_MANIFESTS, "-o", "json"));
    if (values.equals("all enabled")) {
      args.addAll(List.of("--values", ALL_ENABLED.toString()));
    }
    CliRun run = cli(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.out());

    List<String> failed = new ArrayList<>();
    report.get("workloads").forEach(w -> w.get("findings").forEach(f -> failed.add(
        w.get("kind").asText() + " " + w.get("name").asText() + ": " + f.get("message").asText())));
    assertThat(failed).isEmpty();
    assertThat(report.get("score").asInt()).isEqualTo(100);
    assertThat(report.get("summary").get("exempt").asInt()).isZero();
    List<String> judged = new ArrayList<>();
    report.get("workloads").forEach(w -> judged.add(w.get("kind").asText() + " "
        + w.get("name").asText()));
    assertThat(judged).contains("Deployment kube-devops-operator", "Deployment kube-devops-watch",
        "Deployment kube-devops-webhook", "CronJob kube-devops-auditor");
    if (values.equals("all enabled")) {
      assertThat(judged).contains("Deployment kube-devops-sync");
    }
  }

  @Test
  void everyComponentsRolesHoldExactlyTheRulesGenerateRbacPrints() {
    RbacModel model = new RbacModel(TestUtils.catalog().definitions());
    for (ComponentRbac rbac : model.all()) {
      String name = rbac.component().accountName();
      RbacManifests generated = new RbacManifests(NAMESPACE, "0.1.0");
      List<String> kinds = generated.objects(rbac).stream().map(o -> o.getKind()).toList();
      for (String kind : kinds) {
        assertThat(ofKind(allEnabled, kind)).as(kind + " " + name)
            .anyMatch(m -> m.name().equals(name));
      }
      assertRules(one(allEnabled, "ClusterRole", name), rbac.rules(Scope.CLUSTER), kinds);
      if (!rbac.rules(Scope.NAMESPACE).isEmpty()) {
        assertRules(one(allEnabled, "Role", name), rbac.rules(Scope.NAMESPACE), kinds);
      } else {
        assertThat(ofKind(allEnabled, "Role")).noneMatch(m -> m.name().equals(name));
      }
      for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
        allEnabled.stream().filter(m -> m.kind().equals(binding) && m.name().equals(name))
            .forEach(m -> assertThat(at(m.object(), "subjects").toString())
                .isEqualTo("[{kind=ServiceAccount, name=" + name + ", namespace=" + NAMESPACE
                    + "}]"));
      }
      Map<String, Object> account = one(allEnabled, "ServiceAccount", name).object();
      assertThat(account.get("automountServiceAccountToken")).isEqualTo(false);
    }
  }

  private static void assertRules(Manifest role, List<RbacRule> rules, List<String> kinds) {
    List<Object> expected = rules.stream()
        .map(r -> (Object) SERIALIZATION.convertValue(r.policyRule(), LinkedHashMap.class))
        .toList();
    assertThat((List<Object>) at(role.object(), "rules")).as(role.kind() + " " + role.name())
        .isEqualTo(expected);
  }

  @Test
  void theWebhookConfigurationsAreWhatInstallConfigPrints() {
    List<Map<String, Object>> printed = WebhookConfigurations.build(
        new WebhookConfigurations.Service("kube-devops-webhook", NAMESPACE, 443),
        "ca".getBytes(StandardCharsets.UTF_8), "Ignore",
        EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    for (Map<String, Object> configuration : printed) {
      String kind = (String) configuration.get("kind");
      List<Map<String, Object>> rendered = at(one(defaults, kind, "kube-devops-webhook").object(),
          "webhooks");
      List<Map<String, Object>> expected = at(configuration, "webhooks");
      assertThat(withoutCaBundle(rendered)).as(kind).isEqualTo(withoutCaBundle(expected));
      assertThat(at(rendered.get(0), "clientConfig", "caBundle").toString()).isNotBlank();
    }
  }

  /** The webhooks as JSON trees, the CA left out: the chart's is generated on each render. */
  private static JsonNode withoutCaBundle(List<Map<String, Object>> webhooks) {
    JsonNode tree = JSON.valueToTree(webhooks);
    tree.forEach(w -> ((com.fasterxml.jackson.databind.node.ObjectNode) w.get("clientConfig"))
        .remove("caBundle"));
    return tree;
  }

  @Test
  void withCertManagerTheCaIsInjectedAndTheCertificateNamesTheService() {
    Map<String, Object> certificate = one(allEnabled, "Certificate", "kube-devops-webhook").object();
    assertThat((List<String>) at(certificate, "spec", "dnsNames")).contains(
        "kube-devops-webhook.kube-devops.svc");
    assertThat((String) at(certificate, "spec", "secretName")).isEqualTo("kube-devops-webhook-tls");
    assertThat(ofKind(allEnabled, "Secret")).isEmpty();
    for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")) {
      Map<String, Object> configuration = one(allEnabled, kind, "kube-devops-webhook").object();
      assertThat((String) at(configuration, "metadata", "annotations",
          "cert-manager.io/inject-ca-from")).isEqualTo("kube-devops/kube-devops-webhook");
      List<Map<String, Object>> webhooks = at(configuration, "webhooks");
      assertThat((Map<String, Object>) at(webhooks.get(0), "clientConfig")).doesNotContainKey(
          "caBundle");
      assertThat(webhooks.get(0).get("failurePolicy")).isEqualTo("Fail");
    }
  }

  @Test
  void componentsThatElectALeaderRunTwoReplicasAndEveryDeploymentHasItsBudgetServiceAndPolicy() {
    Map<String, Integer> replicas = Map.of("operator", 2, "watch", 2, "sync", 2, "webhook", 3);
    Map<String, Integer> metricsPorts = Map.of("operator", 9090, "watch", 8080, "sync", 9090,
        "webhook", 9090);
    for (String component : replicas.keySet()) {
      String name = "kube-devops-" + component;
      Map<String, Object> deployment = one(allEnabled, "Deployment", name).object();
      assertThat((Integer) at(deployment, "spec", "replicas")).as(name)
          .isEqualTo(replicas.get(component));
      Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
      assertThat(podLabels).containsEntry("app.kubernetes.io/name", "kube-devops")
          .containsEntry("app.kubernetes.io/instance", ChartManifests.RELEASE)
          .containsEntry("app.kubernetes.io/component", component)
          .containsEntry("app.kubernetes.io/part-of", "kube-devops")
          .containsKey("app.kubernetes.io/managed-by");
      List<Map<String, Object>> ports = at(one(allEnabled, "Service", name).object(), "spec",
          "ports");
      assertThat(ports).anySatisfy(p -> {
        assertThat(p.get("name")).isEqualTo("metrics");
        assertThat(p.get("port")).isEqualTo(metricsPorts.get(component));
      });
      one(allEnabled, "PodDisruptionBudget", name);
      one(allEnabled, "NetworkPolicy", name);
    }
    List<Map<String, Object>> webhookPorts = at(one(allEnabled, "Service",
        "kube-devops-webhook").object(), "spec", "ports");
    assertThat(webhookPorts).anySatisfy(p -> {
      assertThat(p.get("name")).isEqualTo("https");
      assertThat(p.get("port")).isEqualTo(443);
      assertThat(p.get("targetPort")).isEqualTo("https");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "watch", "webhook", "auditor"})
  void eachComponentIsSwitchedOffWithItsEnabledValue(String component) {
    List<Manifest> without = render(List.of(), Map.of(component + ".enabled", "false"));

    assertThat(defaults).anyMatch(m -> component.equals(componentOf(m)));
    assertThat(without).noneMatch(m -> component.equals(componentOf(m)));
    assertThat(without).anyMatch(m -> m.kind().equals("ClusterRole"));
  }

  @Test
  void theSyncIsOffByDefaultAndTheMonitoringObjectsToo() {
    assertThat(defaults).noneMatch(m -> "sync".equals(componentOf(m)));
    assertThat(defaults).noneMatch(m -> Set.of("ServiceMonitor", "PrometheusRule", "ConfigMap")
        .contains(m.kind()));
    assertThat(ofKind(allEnabled, "ServiceMonitor")).hasSize(4);
    one(allEnabled, "PrometheusRule", "kube-devops");
    one(allEnabled, "ConfigMap", "kube-devops-dashboard");
  }

  /**
   * The chart's ServiceMonitors scrape what {@code observability generate-service-monitors}
   * scrapes: the same endpoint (port, path, honorLabels), a selector that holds the generator's
   * labels; and the chart's alert and dashboard files are the generators' output.
   */
  @Test
  void theMonitoringObjectsAreTheObservabilityGeneratorsOnes() throws IOException {
    ObservabilityManifests generated = new ObservabilityManifests(NAMESPACE, "test", Map.of(),
        new AlertRules(AlertThresholds.DEFAULTS, AlertRules.DEFAULT_RUNBOOK_URL));
    for (Component component : ObservabilityManifests.scrapedComponents()) {
      Map<String, Object> expected = JSON.convertValue(
          generated.serviceMonitor(component).getAdditionalProperties().get("spec"), Map.class);
      Map<String, Object> rendered = at(one(allEnabled, "ServiceMonitor",
          component.accountName()).object(), "spec");
      assertThat(rendered.get("endpoints")).as(component.id()).isEqualTo(
          expected.get("endpoints"));
      assertThat(rendered.get("namespaceSelector")).isEqualTo(expected.get("namespaceSelector"));
      Map<String, String> selector = at(rendered, "selector", "matchLabels");
      Map<String, String> wanted = at(expected, "selector", "matchLabels");
      assertThat(selector).containsAllEntriesOf(wanted);
    }
    Map<String, Object> rule = at(one(allEnabled, "PrometheusRule", "kube-devops").object(),
        "spec");
    JsonNode renderedRule = JSON.valueToTree(rule);
    JsonNode generatedRule = JSON.valueToTree(
        generated.prometheusRule().getAdditionalProperties().get("spec"));
    assertThat(renderedRule).as("run kube-devops observability generate-alerts --rules-file > "
        + "helm/kube-devops/files/alerts/kube-devops.rules.yaml").isEqualTo(generatedRule);
    Map<String, String> dashboard = at(one(allEnabled, "ConfigMap", "kube-devops-dashboard")
        .object(), "data");
    assertThat(JSON.readTree(dashboard.values().iterator().next()))
        .as("run kube-devops observability generate-dashboard > "
            + "helm/kube-devops/files/dashboards/kube-devops.json").isEqualTo(JSON.readTree(Dashboard.json()));
  }

  private static String componentOf(Manifest manifest) {
    Map<String, String> labels = at(manifest.object(), "metadata", "labels");
    return labels == null ? null : labels.get("app.kubernetes.io/component");
  }

  @ParameterizedTest
  @ValueSource(strings = {"all", "deployments"})
  void theGeneratorsPrintWhatTheChartRendersWithItsDefaultValues(String which) throws IOException {
    CliRun run = cli("deploy", "generate-" + which, "-o", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();

    List<Manifest> expected = new ArrayList<>(defaults);
    if (which.equals("all")) {
      for (String file : fileNames(Path.of("crds"))) {
        expected.addAll(0, ChartManifests.split(Files.readString(Path.of("crds", file))));
      }
    } else {
      expected.removeIf(m -> Set.of("ServiceAccount", "Role", "RoleBinding", "ClusterRole",
          "ClusterRoleBinding").contains(m.kind()));
    }
    JsonNode printed = JSON.readTree(run.out()).get("items");
    assertThat(comparable(printed)).containsExactlyInAnyOrderElementsOf(
        comparable(JSON.valueToTree(expected.stream().map(Manifest::object).toList())));
  }

  @Test
  void generateAllRendersForTheNamespaceAskedAndRefusesAnUnknownFormat() {
    CliRun run = cli("deploy", "generate-all", "-n", "platform");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("# Generated by `kube-devops deploy generate-all -n platform`")
        .contains("namespace: platform").doesNotContain("namespace: kube-devops");

    CliRun bad = cli("deploy", "generate-deployments", "-o", "xml");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--output").contains("xml");
  }

  /** Each object as JSON text, the webhook's generated certificates masked. */
  private static List<String> comparable(JsonNode items) {
    List<String> objects = new ArrayList<>();
    for (JsonNode item : items) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = item.deepCopy();
      if (copy.get("kind").asText().equals("Secret")) {
        copy.remove("data");
      }
      if (copy.has("webhooks")) {
        copy.get("webhooks").forEach(w -> ((com.fasterxml.jackson.databind.node.ObjectNode)
            w.get("clientConfig")).remove("caBundle"));
      }
      objects.add(copy.toString());
    }
    return objects;
  }
}
