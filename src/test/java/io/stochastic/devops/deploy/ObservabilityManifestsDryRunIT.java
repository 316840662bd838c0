package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.stochastic.devops.deploy.observability.AlertRules;
import io.stochastic.devops.deploy.observability.AlertThresholds;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code observability generate-all} prints passes the real API server's validation
 * against the Prometheus operator's own CRDs (dryRun=All, strict field validation, as {@code
 * kubectl apply --server-side --dry-run=server} sends it): a misspelt ServiceMonitor or rule
 * field would otherwise be dropped silently and Prometheus would scrape or alert without it.
 */
@IntegrationTest
class ObservabilityManifestsDryRunIT {
  private static final String FIELD_MANAGER = "kube-devops-test";
  /** Beside the repository with the other third-party CRDs, as in {@link ManifestsDryRunIT}. */
  static final Path PROMETHEUS_OPERATOR_CRDS =
      Path.of("../shared/thirdparty-crds/prometheus-operator");

  @BeforeAll
  static void installPrometheusOperatorCrds(TestingApiServer server) throws Exception {
    if (!Files.isDirectory(PROMETHEUS_OPERATOR_CRDS)) {
      throw new IllegalStateException("Prometheus operator CRDs not found at "
          + PROMETHEUS_OPERATOR_CRDS.toAbsolutePath().normalize()
          + ": these tests expect shared/ at ../shared relative to the repository root");
    }
    KubernetesClient admin = server.client();
    for (String file : List.of("monitoring.coreos.com_servicemonitors.yaml",
        "monitoring.coreos.com_prometheusrules.yaml")) {
      for (HasMetadata item : ManifestDirectory.read(PROMETHEUS_OPERATOR_CRDS.resolve(file))) {
        // server-side: these CRDs are too big for client-side apply's annotation
        CustomResourceDefinition crd = (CustomResourceDefinition) item;
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

  private static ObservabilityManifests manifests(TestingNamespace namespace) {
    return new ObservabilityManifests(namespace.name(), "0.0.0", Map.of("release", "monitoring"),
        new AlertRules(AlertThresholds.DEFAULTS, AlertRules.DEFAULT_RUNBOOK_URL));
  }

  private static HasMetadata dryRunApply(KubernetesClient client, HasMetadata object) {
    return client.resource(object).dryRun().fieldValidation(Validation.STRICT)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  @Test
  void everyObjectIsValidAndAdmitted(KubernetesClient client, TestingNamespace namespace) {
    List<HasMetadata> objects = manifests(namespace).all();
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ServiceMonitor",
        "ServiceMonitor", "ServiceMonitor", "ServiceMonitor", "PrometheusRule", "ConfigMap");
    for (HasMetadata object : objects) {
      String what = object.getKind() + " " + object.getMetadata().getName();
      HasMetadata answered = dryRunApply(client, object);
      assertThat(answered).as(what).isNotNull();
      assertThat(answered.getMetadata().getName()).as(what)
          .isEqualTo(object.getMetadata().getName());
      assertThat(client.resource(object).get()).as(what + " stored by a dry run").isNull();
    }
  }

  /** The check above is not vacuous: the CRD's schema refuses a misspelt endpoint field. */
  @Test
  void theDryRunRejectsAMisspeltServiceMonitorField(TestingNamespace namespace) {
    GenericKubernetesResource monitor = manifests(namespace).serviceMonitor(Component.WEBHOOK);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints =
        (List<Map<String, Object>>) monitor.get("spec", "endpoints");
    Map<String, Object> endpoint = new java.util.LinkedHashMap<>(endpoints.get(0));
    endpoint.put("honourLabels", true);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    spec.put("endpoints", List.of(endpoint));
    // a server-side apply with an undeclared field is answered 500 (kubernetes#122480), which
    // the client would retry for about 20 s: ask once
    try (KubernetesClient once =
        namespace.server().newClient(c -> c.withRequestRetryBackoffLimit(0))) {
      assertThatThrownBy(() -> dryRunApply(once, monitor))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isIn(400, 422, 500);
            assertThat(e.getMessage()).contains("honourLabels");
          });
    }
  }
}
