package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.testing.Cluster;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code crd install} on an API server of its own (the CRDs are cluster-wide and this test
 * deletes them): a fresh install waits for Established, a second one changes nothing, a dry run
 * shows what would change and changes nothing.
 */
@IntegrationTest
class CrdInstallIT {
  private static final List<String> CRDS = List.of("devopspolicies.devops.stochastic.io",
      "policyauditresults.devops.stochastic.io");
  private static final String TYPE = "customresourcedefinition.apiextensions.k8s.io/";

  @Test
  void installsFreshIsIdempotentAndDryRunsChanges(@Cluster("crd-install") TestingNamespace ns) {
    KubernetesClient admin = ns.server().client();
    String kubeconfig = ns.kubeconfig().toString();
    deleteCrds(admin);

    CliResult missing = CliResult.run("policy", "export", "--kubeconfig", kubeconfig);
    assertThat(missing.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(missing.err()).isEqualTo("error: listing DevOpsPolicies in namespace " + ns.name()
        + ": the cluster does not serve the resource: is the kube-devops CRD installed? "
        + "(kube-devops crd install)\n");

    CliResult dryRun = CliResult.run("crd", "install", "--dry-run", "--kubeconfig", kubeconfig);
    assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
    assertThat(dryRun.out()).isEqualTo(TYPE + CRDS.get(0) + " created (server dry run)\n"
        + TYPE + CRDS.get(1) + " created (server dry run)\n");
    assertThat(crd(admin, CRDS.get(0))).as("after the dry run").isNull();

    long started = System.nanoTime();
    CliResult fresh = CliResult.run("crd", "install", "--kubeconfig", kubeconfig);
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
    assertThat(fresh.out()).isEqualTo(TYPE + CRDS.get(0) + " created\n" + TYPE + CRDS.get(1)
        + " created\n2 CRDs Established\n");
    for (String name : CRDS) {
      assertThat(TestingApiServer.established(crd(admin, name))).as(name).isTrue();
    }
    System.out.println("crd install on a fresh server: " + millis + " ms");

    CliResult again = CliResult.run("crd", "install", "--kubeconfig", kubeconfig);
    assertThat(again.out()).isEqualTo(TYPE + CRDS.get(0) + " unchanged\n" + TYPE + CRDS.get(1)
        + " unchanged\n2 CRDs Established\n");

    // Someone edits a field the installer owns.
    admin.apiextensions().v1().customResourceDefinitions().withName(CRDS.get(1))
        .edit(c -> {
          c.getMetadata().getLabels().put("app.kubernetes.io/component", "edited");
          return c;
        });

    CliResult drift = CliResult.run("crd", "install", "--dry-run", "--kubeconfig", kubeconfig);
    assertThat(drift.out()).contains(TYPE + CRDS.get(0) + " unchanged (server dry run)\n")
        .contains(TYPE + CRDS.get(1) + " configured (server dry run)\n")
        .contains("-    app.kubernetes.io/component: edited\n"
            + "+    app.kubernetes.io/component: crd\n");
    assertThat(label(admin)).as("after the dry run").isEqualTo("edited");

    CliResult repaired = CliResult.run("crd", "install", "--kubeconfig", kubeconfig);
    assertThat(repaired.out()).contains(TYPE + CRDS.get(1) + " configured\n");
    assertThat(label(admin)).isEqualTo("crd");
  }

  private static void deleteCrds(KubernetesClient admin) {
    for (String name : CRDS) {
      admin.apiextensions().v1().customResourceDefinitions().withName(name).delete();
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> CRDS.stream().allMatch(name -> crd(admin, name) == null));
  }

  private static CustomResourceDefinition crd(KubernetesClient admin, String name) {
    return admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }

  private static String label(KubernetesClient admin) {
    return crd(admin, CRDS.get(1)).getMetadata().getLabels().get("app.kubernetes.io/component");
  }
}
