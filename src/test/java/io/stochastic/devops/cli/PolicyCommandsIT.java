package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy commands against a real API server, run in-process through {@link Main#run} with a
 * kubeconfig for the test's namespace: bundle-apply, export, import (and its dry run) and diff,
 * with their exit codes.
 */
@IntegrationTest
class PolicyCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exportWritesCleanYamlThatImportsBackWithNoDiff(TestingNamespace ns, @TempDir Path dir)
      throws IOException {
    String kubeconfig = ns.kubeconfig().toString();
    Path original = write(dir.resolve("original.yaml"), policy(ns.name(), "shop", """
          bundle: baseline
          maxRestartCount: 3
          severityOverrides:
            readinessProbeMissing: "off"
          customChecks:
            - id: teamLabelMissing
              severity: low
              expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
        """));
    assertThat(run("policy", "import", original.toString(), "--kubeconfig", kubeconfig)
        .exitCode()).isZero();
    writeStatus(ns.client(), "shop");

    CliResult exported = run("policy", "export", "--kubeconfig", kubeconfig);

    assertThat(exported.exitCode()).as(exported.toString()).isZero();
    String yaml = exported.out();
    assertThat(yaml).startsWith("apiVersion: devops.stochastic.io/v1\nkind: DevOpsPolicy\n"
        + "metadata:\n  name: shop\n  namespace: " + ns.name() + "\nspec:\n  bundle: baseline\n");
    assertThat(yaml).contains("readinessProbeMissing: \"off\"")
        .contains("expression: has(object.metadata.labels) && 'team' in object.metadata.labels")
        .as("defaults the server filled in are exported").contains("enforcementMode: audit");
    assertThat(yaml).doesNotContain("status", "managedFields", "uid:", "resourceVersion",
        "creationTimestamp", "generation");

    Path file = write(dir.resolve("exported.yaml"), yaml);
    genericPolicies(ns.client()).withName("shop").delete();
    CliResult imported = run("policy", "import", file.toString(), "--kubeconfig", kubeconfig);
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.out()).isEqualTo("devopspolicy.devops.stochastic.io/shop created "
        + "(namespace " + ns.name() + ")\n");

    CliResult diff = run("policy", "diff", file.toString(), "--kubeconfig", kubeconfig);
    assertThat(diff.exitCode()).as(diff.toString()).isZero();
    assertThat(diff.out()).isEmpty();
    assertThat(diff.err()).isEqualTo("0 changed, 0 to create, 0 only in the cluster, "
        + "1 unchanged\n");
    assertThat(run("policy", "export", "--kubeconfig", kubeconfig).out())
        .as("a second export").isEqualTo(yaml);
  }

  @Test
  void exportAllNamespacesIntoARepositoryLayout(TestingNamespace ns, @TempDir Path dir)
      throws IOException {
    String kubeconfig = ns.kubeconfig().toString();
    try (TestingNamespace other = ns.server().createNamespace("export-other")) {
      Path files = write(dir.resolve("policies.yaml"), policy(ns.name(), "one", "bundle: baseline")
          + "---\n" + policy(other.name(), "two", "bundle: restricted"));
      assertThat(run("policy", "import", files.toString(), "--kubeconfig", kubeconfig)
          .exitCode()).isZero();

      Path repository = dir.resolve("repository");
      CliResult result = run("policy", "export", "-A", "--dir", repository.toString(),
          "--kubeconfig", kubeconfig);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      Path one = repository.resolve("namespaces/" + ns.name() + "/one.yaml");
      Path two = repository.resolve("namespaces/" + other.name() + "/two.yaml");
      assertThat(result.out()).contains("wrote " + one, "wrote " + two);
      assertThat(Files.readString(two)).contains("namespace: " + other.name(),
          "bundle: restricted");
      assertThat(run("policy", "lint", repository.toString()).exitCode())
          .as("the exported repository lints clean").isZero();
    }
  }

  @Test
  void diffShowsAChangedFieldAnAddedAndARemovedPolicy(TestingNamespace ns, @TempDir Path dir)
      throws IOException {
    String kubeconfig = ns.kubeconfig().toString();
    try (TestingNamespace added = ns.server().createNamespace("diff-added");
        TestingNamespace removed = ns.server().createNamespace("diff-removed")) {
      Path repository = dir.resolve("namespaces");
      Path shop = write(repository.resolve(ns.name() + "/shop.yaml"),
          policy(ns.name(), "shop", "bundle: baseline\n  maxRestartCount: 3"));
      write(repository.resolve(removed.name() + "/legacy.yaml"),
          policy(removed.name(), "legacy", "bundle: permissive"));
      assertThat(run("policy", "import", repository.toString(), "--kubeconfig", kubeconfig)
          .exitCode()).isZero();
      assertThat(run("policy", "diff", repository.toString(), "--kubeconfig", kubeconfig)
          .exitCode()).as("right after the import").isZero();

      // The pull request: one field changed, a namespace added, one removed.
      write(shop, policy(ns.name(), "shop", "bundle: baseline\n  maxRestartCount: 5"));
      write(repository.resolve(added.name() + "/new.yaml"),
          policy(added.name(), "new", "bundle: restricted"));
      Files.delete(repository.resolve(removed.name() + "/legacy.yaml"));

      CliResult diff = run("policy", "diff", repository.toString(), "--kubeconfig", kubeconfig);

      assertThat(diff.exitCode()).as(diff.toString()).isEqualTo(ExitCode.POLICY_FAILED);
      String changed = "--- live/" + ns.name() + "/shop\n+++ desired/" + ns.name() + "/shop\n"
          + "@@ -6,4 +6,4 @@\n spec:\n   bundle: baseline\n   enforcementMode: audit\n"
          + "-  maxRestartCount: 3\n+  maxRestartCount: 5\n";
      assertThat(diff.out()).contains(changed)
          .contains("--- /dev/null\n+++ desired/" + added.name() + "/new\n")
          .contains("+  bundle: restricted\n")
          .as("without -A, only the namespaces the files cover").doesNotContain("legacy");
      assertThat(diff.err()).isEqualTo("1 changed, 1 to create, 0 only in the cluster, "
          + "0 unchanged\n");

      // -A: also the namespaces no file covers any more (on a server other tests share too).
      CliResult all = run("policy", "diff", repository.toString(), "-A",
          "--kubeconfig", kubeconfig);
      assertThat(all.exitCode()).isEqualTo(ExitCode.POLICY_FAILED);
      assertThat(all.out()).contains(changed)
          .contains("--- live/" + removed.name() + "/legacy\n+++ /dev/null\n")
          .contains("-  bundle: permissive\n");

      JsonNode json = JSON.readTree(run("policy", "diff", repository.toString(), "-A", "-o",
          "json", "--kubeconfig", kubeconfig).out());
      assertThat(json.path("differences").asBoolean()).isTrue();
      assertThat(json.path("summary").path("changed").asInt()).isEqualTo(1);
      assertThat(json.path("summary").path("created").asInt()).isEqualTo(1);
      assertThat(json.path("summary").path("absent").asInt()).isPositive();
      assertThat(statusOf(json, ns.name(), "shop")).isEqualTo("changed");
      assertThat(statusOf(json, added.name(), "new")).isEqualTo("created");
      assertThat(statusOf(json, removed.name(), "legacy")).isEqualTo("absent");

      assertThat(run("policy", "import", repository.toString(), "--kubeconfig", kubeconfig)
          .exitCode()).isZero();
      assertThat(run("policy", "diff", repository.toString(), "--kubeconfig", kubeconfig)
          .exitCode()).as("after importing the change").isZero();
    }
  }

  @Test
  void importDryRunPrintsWhatWouldChangeAndChangesNothing(TestingNamespace ns,
      @TempDir Path dir) throws IOException {
    String kubeconfig = ns.kubeconfig().toString();
    Path file = write(dir.resolve("shop.yaml"),
        policy(ns.name(), "shop", "bundle: baseline\n  maxRestartCount: 3"));

    CliResult create = run("policy", "import", file.toString(), "--dry-run",
        "--kubeconfig", kubeconfig);
    assertThat(create.exitCode()).as(create.toString()).isZero();
    assertThat(create.out()).isEqualTo("devopspolicy.devops.stochastic.io/shop created "
        + "(namespace " + ns.name() + ", server dry run)\n");
    assertThat(genericPolicies(ns.client()).withName("shop").get()).isNull();

    assertThat(run("policy", "import", file.toString(), "--kubeconfig", kubeconfig)
        .exitCode()).isZero();
    GenericKubernetesResource before = genericPolicies(ns.client()).withName("shop").get();
    write(file, policy(ns.name(), "shop", "bundle: restricted\n  maxRestartCount: 3"));

    CliResult configure = run("policy", "import", file.toString(), "--dry-run",
        "--kubeconfig", kubeconfig);

    assertThat(configure.exitCode()).as(configure.toString()).isZero();
    assertThat(configure.out()).startsWith("devopspolicy.devops.stochastic.io/shop configured "
        + "(namespace " + ns.name() + ", server dry run)\n--- live/")
        .contains("-  bundle: baseline\n+  bundle: restricted\n");
    assertThat(configure.err()).contains("server dry run: nothing was changed");
    GenericKubernetesResource after = genericPolicies(ns.client()).withName("shop").get();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void importAppliesWithTheSyncFieldManagerOnlyTheFieldsWritten(TestingNamespace ns,
      @TempDir Path dir) throws IOException {
    Path file = write(dir.resolve("shop.yaml"), policy(ns.name(), "shop", "maxRestartCount: 4")
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated}\n");

    CliResult result = run("policy", "import", file.toString(), "--kubeconfig",
        ns.kubeconfig().toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).isEqualTo("skipped 1 document that is not a DevOpsPolicy\n"
        + "1 policy: 1 created, 0 configured, 0 unchanged\n");
    assertThat(ns.client().configMaps().withName("unrelated").get()).isNull();
    GenericKubernetesResource live = genericPolicies(ns.client()).withName("shop").get();
    assertThat(live.getMetadata().getManagedFields()).singleElement().satisfies(m -> {
      assertThat(m.getManager()).isEqualTo("kube-devops-sync");
      assertThat(m.getOperation()).isEqualTo("Apply");
      String owned = Serialization.asJson(m.getFieldsV1());
      assertThat(owned).contains("f:maxRestartCount").doesNotContain("f:bundle",
          "f:enforcementMode");
    });
    assertThat(live.getMetadata().getLabels()).as("the sync's label is the sync's to set")
        .isNullOrEmpty();
  }

  @Test
  void importRefusesInvalidFilesAndAppliesNothing(TestingNamespace ns, @TempDir Path dir)
      throws IOException {
    Path file = write(dir.resolve("policies.yaml"), policy(ns.name(), "good", "bundle: baseline")
        + "---\n" + policy(ns.name(), "bad", "bundle: strict"));

    CliResult result = run("policy", "import", file.toString(), "--kubeconfig",
        ns.kubeconfig().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).contains(file + "#1:15: error: spec.bundle: unsupported value")
        .endsWith("error: refusing to import: 2 errors in the files (listed above)\n");
    assertThat(genericPolicies(ns.client()).list().getItems()).isEmpty();
  }

  @Test
  void importReportsAConflictWithAnotherFieldManager(TestingNamespace ns, @TempDir Path dir)
      throws IOException {
    String kubeconfig = ns.kubeconfig().toString();
    Path file = write(dir.resolve("shop.yaml"), policy(ns.name(), "shop", "maxRestartCount: 4"));
    assertThat(run("policy", "import", file.toString(), "--kubeconfig", kubeconfig).exitCode())
        .isZero();
    genericPolicies(ns.client()).withName("shop").edit(p -> {
      ((Map<String, Object>) p.getAdditionalProperties().get("spec")).put("maxRestartCount", 9);
      return p;
    });
    write(file, policy(ns.name(), "shop", "maxRestartCount: 5"));

    CliResult refused = run("policy", "import", file.toString(), "--kubeconfig", kubeconfig);

    assertThat(refused.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(refused.err()).contains("error: applying devopspolicy.devops.stochastic.io/shop "
        + "in namespace " + ns.name() + " (" + file + "#0): conflict: ")
        .contains(".spec.maxRestartCount").contains("--force-conflicts");

    CliResult forced = run("policy", "import", file.toString(), "--force-conflicts",
        "--kubeconfig", kubeconfig);
    assertThat(forced.exitCode()).as(forced.toString()).isZero();
    assertThat(forced.out()).contains("shop configured");
  }

  @Test
  void bundleApplyMakesTheBundleTheNamespacePolicy(TestingNamespace ns) {
    String kubeconfig = ns.kubeconfig().toString();

    CliResult dryRun = run("policy", "bundle-apply", "restricted", "-n", ns.name(), "--dry-run",
        "--kubeconfig", kubeconfig);
    assertThat(dryRun.out()).isEqualTo("devopspolicy.devops.stochastic.io/restricted created "
        + "(namespace " + ns.name() + ", server dry run)\n");
    assertThat(genericPolicies(ns.client()).list().getItems()).isEmpty();

    CliResult applied = run("policy", "bundle-apply", "restricted", "-n", ns.name(),
        "--kubeconfig", kubeconfig);

    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    GenericKubernetesResource live = genericPolicies(ns.client()).withName("restricted").get();
    assertThat(live.get("spec", "bundle").toString()).isEqualTo("restricted");
    assertThat(live.get("spec", "maxRestartCount").toString()).isEqualTo("3");
    assertThat(live.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
        .containsExactly("kube-devops-sync");
    assertThat(run("policy", "bundle-apply", "restricted", "--kubeconfig", kubeconfig).out())
        .as("again, in the context's namespace").isEqualTo(
            "devopspolicy.devops.stochastic.io/restricted unchanged (namespace " + ns.name()
                + ")\n");

    CliResult second = run("policy", "bundle-apply", "baseline", "--kubeconfig", kubeconfig);
    assertThat(second.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(second.err()).isEqualTo("error: namespace " + ns.name() + " already has "
        + "DevOpsPolicy restricted and a namespace has one policy: use --name restricted to give "
        + "it the bundle's settings\n");

    CliResult renamed = run("policy", "bundle-apply", "baseline", "--name", "restricted",
        "--dry-run", "--kubeconfig", kubeconfig);
    assertThat(renamed.exitCode()).as(renamed.toString()).isZero();
    assertThat(renamed.out()).contains("restricted configured")
        .contains("-  bundle: restricted\n+  bundle: baseline\n");
  }

  @Test
  void exportOfANamespaceWithoutPoliciesSaysSo(TestingNamespace ns) {
    CliResult result = run("policy", "export", "-n", ns.name(), "--kubeconfig",
        ns.kubeconfig().toString(), "--context", "kube-devops-test");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEqualTo("no DevOpsPolicies in namespace " + ns.name() + "\n");
  }

  private static CliResult run(String... args) {
    return CliResult.run(args);
  }

  private static String policy(String namespace, String name, String spec) {
    return """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata:
          name: %s
          namespace: %s
        spec:
          %s
        """.formatted(name, namespace, spec.strip());
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> genericPolicies(
      KubernetesClient client) {
    return client.genericKubernetesResources(ApiResources.DEVOPS_POLICY)
        .inNamespace(client.getNamespace());
  }

  /** A status as the operator would write it, through /status: export must leave it out. */
  private static void writeStatus(KubernetesClient client, String name) {
    GenericKubernetesResource live = genericPolicies(client).withName(name).get();
    live.setAdditionalProperty("status", Map.of("healthScore", 87, "classification", "Healthy",
        "violations", 2));
    genericPolicies(client).resource(live).updateStatus();
  }

  private static String statusOf(JsonNode diff, String namespace, String name) {
    for (JsonNode policy : diff.path("policies")) {
      if (namespace.equals(policy.path("namespace").asText())
          && name.equals(policy.path("name").asText())) {
        return policy.path("status").asText();
      }
    }
    return null;
  }
}
