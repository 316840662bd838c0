package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.stochastic.devops.deploy.ManifestDirectory.Manifest;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object the repository ships for a cluster ({@code cronjobs/}, {@code deploy/sync/},
 * {@code argocd/}) passes the real API server's validation and admission, the way {@code kubectl
 * apply --server-side --dry-run=server} would send it (dryRun=All, strict field validation, so a
 * misspelt field fails too), and nothing is stored. Argo CD's objects are checked against Argo
 * CD's own CRDs.
 *
 * <p>Namespaced objects are sent into the test's namespace rather than the one they name: the
 * API server refuses objects in a namespace that does not exist, even in a dry run, and creating
 * {@code kube-devops} on the shared test server would leave it Terminating for good once deleted
 * (no namespace controller runs), in the way of any later test that needs it. Which namespace
 * the files name is asserted here.
 */
@IntegrationTest
class ManifestsDryRunIT {
  private static final String FIELD_MANAGER = "kube-devops-test";
  /**
   * Argo CD's CRDs sit beside the repository, with the other third-party CRDs (CI copies
   * {@code shared/} to {@code ../shared}); the path is relative to the repository root.
   */
  static final Path ARGO_CD_CRDS = Path.of("../shared/thirdparty-crds/argocd");

  @BeforeAll
  static void installArgoCdCrds(TestingApiServer server) throws Exception {
    if (!Files.isDirectory(ARGO_CD_CRDS)) {
      throw new IllegalStateException("Argo CD CRDs not found at " + ARGO_CD_CRDS.toAbsolutePath().normalize()
          + ": these tests expect shared/ at ../shared relative to the repository root");
    }
    KubernetesClient admin = server.client();
    for (Path file : new ManifestDirectory(ARGO_CD_CRDS).files()) {
      for (HasMetadata item : ManifestDirectory.read(file)) {
        // Server-side: the ApplicationSet CRD is too big for client-side apply's annotation.
        CustomResourceDefinition crd = (CustomResourceDefinition) item;
        admin.resource(crd).fieldManager(TestingApiServer.FIELD_MANAGER).forceConflicts().serverSideApply();
        admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                && TestingApiServer.established(c), 60, TimeUnit.SECONDS);
      }
    }
  }

  static Stream<Arguments> directories() {
    return Stream.of(
        Arguments.of("cronjobs", "kube-devops", List.of("auditor-cronjob.yaml", "auditor-rbac.yaml")),
        Arguments.of("deploy/sync", "kube-devops", List.of("sync-deployment.yaml", "sync-rbac.yaml")),
        Arguments.of("argocd", "argocd",
            List.of("kube-devops-chart.yaml", "kube-devops-policies-applicationset.yaml",
                "kube-devops-policies.yaml")));
  }

  private static HasMetadata dryRunApply(KubernetesClient client, HasMetadata object) {
    return client.resource(object).dryRun().fieldValidation(Validation.STRICT)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("directories")
  void everyObjectIsValidAndAdmittedByTheApiServer(String directory, String declaredNamespace, List<String> expectedFiles,
      KubernetesClient client, TestingNamespace namespace) {
    ManifestDirectory manifests = new ManifestDirectory(Path.of(directory));
    List<Path> files = manifests.files();
    assertThat(files).extracting(f -> f.getFileName().toString()).containsExactlyElementsOf(expectedFiles);

    for (Path file : files) {
      for (HasMetadata object : ManifestDirectory.read(file)) {
        String what = new Manifest(file, object).toString();
        String declared = object.getMetadata().getNamespace();
        if (declared != null) {
          assertThat(declared).as(what).isEqualTo(declaredNamespace);
          object.getMetadata().setNamespace(namespace.name());
        }

        HasMetadata answered = dryRunApply(client, object);

        assertThat(answered).as(what).isNotNull();
        assertThat(answered.getKind()).as(what).isEqualTo(object.getKind());
        assertThat(answered.getMetadata().getName()).as(what).isEqualTo(object.getMetadata().getName());
        assertThat(client.resource(object).get()).as(what + " stored by a dry run").isNull();
      }
    }
  }

  @Test
  void theDryRunRejectsAMisspeltField(TestingNamespace namespace) {
    // Shows the check above is not vacuous: the same request with one unknown field fails.
    CronJob cronJob = CronJobManifests.one(CronJob.class);
    cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
        .setAdditionalProperty("automountServiceAcountToken", false);

    assertRejected(namespace, cronJob, ".spec.jobTemplate.spec.template.spec.automountServiceAcountToken");
  }

  @Test
  void theDryRunRejectsAMisspeltFieldOfAnArgoCdApplication(TestingNamespace namespace) {
    // Argo CD's CRD schemas are strict too: a misspelt sync option would otherwise be dropped
    // silently and the Application would sync without it.
    GenericKubernetesResource application = ArgoCdManifests.applications().get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> automated = (Map<String, Object>) application.get("spec", "syncPolicy", "automated");
    automated.put("selfheal", true);

    assertRejected(namespace, application, ".spec.syncPolicy.automated.selfheal");
  }

  private static void assertRejected(TestingNamespace namespace, HasMetadata object, String field) {
    object.getMetadata().setNamespace(namespace.name());
    // kube-apiserver answers a server-side apply with an undeclared field with 500, not 400
    // (kubernetes/kubernetes#122480, #139253), and the client retries a 500 with back-off for about
    // 20 seconds: ask once.
    Consumer<KubernetesClientException> rejection = e -> {
      assertThat(e.getCode()).as(e.getMessage()).isIn(400, 422, 500);
      assertThat(e.getMessage()).contains(field);
    };
    try (KubernetesClient once = namespace.server().newClient(c -> c.withRequestRetryBackoffLimit(0))) {
      assertThatThrownBy(() -> dryRunApply(once, object))
          .isInstanceOfSatisfying(KubernetesClientException.class, rejection);
    }
  }
}
