package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stochastic.devops.deploy.ChartManifests.Manifest;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Helm chart renders, with its default values and with every component on, passes the
 * real API server's validation and admission as {@code kubectl apply --server-side
 * --dry-run=server} sends it (strict field validation: a misspelt field fails), the
 * Prometheus-operator objects against the Prometheus operator's own CRDs; nothing is stored (a
 * webhook configuration created for real would intercept every other test's writes). The
 * chart's CRDs are applied the same way.
 *
 * <p>The chart is rendered into the test's namespace, so that its namespaced objects and the
 * references between them (bindings' subjects, the webhook's Service) are consistent there.
 * cert-manager's Certificate and Issuers are not sent: no cert-manager CRDs are at hand, so the
 * all-enabled render here uses the Helm-generated certificate ({@code KubeDevopsChartTest} checks
 * the cert-manager objects' shape).
 */
@IntegrationTest
class HelmChartDryRunIT {
  private static final String FIELD_MANAGER = "kube-devops-test";
  private static final Path PROMETHEUS_OPERATOR_CRDS =
      Path.of("../shared/thirdparty-crds/prometheus-operator");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @BeforeAll
  static void installPrometheusOperatorCrds(TestingApiServer server) throws Exception {
    if (!Files.isDirectory(PROMETHEUS_OPERATOR_CRDS)) {
      throw new IllegalStateException("Prometheus-operator CRDs not found at "
          + PROMETHEUS_OPERATOR_CRDS.toAbsolutePath().normalize()
          + ": these tests expect shared/ at ../shared relative to the repository root");
    }
    KubernetesClient admin = server.client();
    for (Path file : new ManifestDirectory(PROMETHEUS_OPERATOR_CRDS).files()) {
      for (HasMetadata item : ManifestDirectory.read(file)) {
        CustomResourceDefinition crd = (CustomResourceDefinition) item;
        // Server-side: these CRDs are too big for client-side apply's annotation.
        admin.resource(crd).fieldManager(TestingApiServer.FIELD_MANAGER).forceConflicts()
            .serverSideApply();
        admin.apiextensions().v1().customResourceDefinitions()
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(c -> c != null && c.getStatus() != null
                && c.getStatus().getConditions() != null && TestingApiServer.established(c),
                60, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default values", "all enabled"})
  void everyRenderedObjectIsValidAndAdmittedByTheApiServer(String values, KubernetesClient client,
      TestingNamespace namespace) throws Exception {
    List<Path> files = values.equals("all enabled") ? List.of(KubeDevopsChartTest.ALL_ENABLED)
        : List.of();
    Map<String, String> set = values.equals("all enabled")
        ? Map.of("webhook.certManager.enabled", "false") : Map.of();
    List<Manifest> manifests = new ArrayList<>();
    for (Path crd : new ManifestDirectory(KubeDevopsChartTest.CHART.resolve("crds")).files()) {
      manifests.addAll(ChartManifests.split(Files.readString(crd)));
    }
    manifests.addAll(KubeDevopsChartTest.render(files, set, namespace.name()));
    if (values.equals("all enabled")) {
      assertThat(manifests).extracting(Manifest::kind).contains("ServiceMonitor",
          "PrometheusRule", "ConfigMap", "CronJob", "ValidatingWebhookConfiguration");
      assertThat(manifests).anyMatch(m -> m.kind().equals("Deployment")
          && m.name().equals("kube-devops-sync"));
    }

    for (Manifest manifest : manifests) {
      String what = manifest.kind() + " " + manifest.name();
      HasMetadata object = SERIALIZATION.unmarshal(SERIALIZATION.asJson(manifest.object()));

      HasMetadata answered = client.resource(object).dryRun().fieldValidation(Validation.STRICT)
          .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();

      assertThat(answered).as(what).isNotNull();
      assertThat(answered.getKind()).as(what).isEqualTo(manifest.kind());
      if (!manifest.kind().equals("CustomResourceDefinition")) {
        assertThat(client.resource(object).get()).as(what + " stored by a dry run").isNull();
      }
    }
  }
}
