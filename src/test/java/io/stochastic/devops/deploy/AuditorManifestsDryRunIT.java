package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.stochastic.devops.deploy.CronJobManifests.Manifest;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every object of {@code cronjobs/} passes the real API server's validation and admission, the
 * way {@code kubectl apply --server-side --dry-run=server} would send it (dryRun=All, strict field
 * validation, so a misspelt field fails too), and nothing is stored.
 *
 * <p>Namespaced objects are sent into the test's namespace rather than {@code kube-devops}: the
 * API server refuses objects in a namespace that does not exist, even in a dry run, and creating
 * {@code kube-devops} on the shared test server would leave it Terminating for good once deleted
 * (no namespace controller runs), in the way of any later test that needs it. That the files name
 * {@code kube-devops} is asserted here and in {@link AuditorCronJobTest}.
 */
@IntegrationTest
class AuditorManifestsDryRunIT {
  private static final String FIELD_MANAGER = "kube-devops-test";

  private static HasMetadata dryRunApply(KubernetesClient client, HasMetadata object) {
    return client.resource(object).dryRun().fieldValidation(Validation.STRICT)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  @Test
  void everyObjectIsValidAndAdmittedByTheApiServer(KubernetesClient client, TestingNamespace namespace) {
    List<Path> files = CronJobManifests.files();
    assertThat(files).extracting(f -> f.getFileName().toString())
        .contains("auditor-cronjob.yaml", "auditor-rbac.yaml");

    for (Path file : files) {
      for (HasMetadata object : CronJobManifests.read(file)) {
        String what = new Manifest(file, object).toString();
        String declared = object.getMetadata().getNamespace();
        if (declared != null) {
          assertThat(declared).as(what).isEqualTo(CronJobManifests.NAMESPACE);
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
    cronJob.getMetadata().setNamespace(namespace.name());
    cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
        .setAdditionalProperty("automountServiceAcountToken", false);

    // kube-apiserver answers a server-side apply with an undeclared field with 500, not 400
    // (kubernetes/kubernetes#122480, #139253), and the client retries a 500 with back-off for about
    // 20 seconds: ask once.
    try (KubernetesClient once = namespace.server().newClient(c -> c.withRequestRetryBackoffLimit(0))) {
      assertThatThrownBy(() -> dryRunApply(once, cronJob))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isIn(400, 422, 500);
            assertThat(e.getMessage()).contains(".spec.jobTemplate.spec.template.spec.automountServiceAcountToken");
          });
    }
  }
}
