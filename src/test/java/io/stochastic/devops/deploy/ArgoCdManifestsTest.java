package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stochastic.devops.deploy.ArgoCdManifests.AppTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD objects of {@code argocd/} point at what this repository holds, and keep the
 * guarantees the built-in sync gives where Argo CD can: CRDs before policies and never deleted,
 * policies pruned and healed. That the API server accepts them is {@link ManifestsDryRunIT}'s.
 */
class ArgoCdManifestsTest {
  private static final String PLACEHOLDER = "https://github.com/your-org/policies.git";

  private static boolean isCrds(AppTemplate app) {
    return "crds".equals(app.get("source", "path"));
  }

  @Test
  void everyApplicationSyncsADirectoryOfThisRepositoryFromThePlaceholderUrl() throws IOException {
    List<AppTemplate> apps = ArgoCdManifests.appTemplates();
    assertThat(apps).extracting(AppTemplate::toString).containsExactlyInAnyOrder(
        "Application kube-devops-crds", "Application kube-devops-policies",
        "ApplicationSet kube-devops-crds", "ApplicationSet kube-devops-policies");

    for (AppTemplate app : apps) {
      assertThat(app.<String>get("source", "repoURL")).as(app.toString()).isEqualTo(PLACEHOLDER);
      Path path = Path.of(app.<String>get("source", "path"));
      assertThat(path).as(app.toString()).isDirectory();
      try (Stream<Path> files = Files.walk(path)) {
        assertThat(files.filter(f -> f.toString().endsWith(".yaml"))).as(app + ": manifests in " + path).isNotEmpty();
      }
      assertThat(app.<String>get("destination", "server")).as(app.toString()).isNotBlank();
      assertThat(app.<String>get("destination", "namespace")).as(app + ": every object names its namespace").isNull();
      assertThat(app.<List<String>>get("syncPolicy", "syncOptions")).as(app.toString()).contains("ServerSideApply=true");
    }
  }

  @Test
  void everyPolicyTheApplicationsApplyNamesTheNamespaceOfItsDirectory() throws IOException {
    // Argo CD does not take a namespace from namespaces/<ns>/ as the built-in sync does, and no
    // destination namespace is set: a policy must name its own.
    AppTemplate policies = ArgoCdManifests.appTemplates().stream().filter(a -> !isCrds(a)).findFirst().orElseThrow();
    Path root = Path.of(policies.<String>get("source", "path"));
    assertThat(policies.<Boolean>get("source", "directory", "recurse")).isTrue();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      for (HasMetadata object : ManifestDirectory.read(file)) {
        assertThat(object.getKind()).as(file.toString()).isEqualTo("DevOpsPolicy");
        assertThat(object.getMetadata().getNamespace()).as(file.toString())
            .isEqualTo(root.relativize(file).getName(0).toString());
      }
    }
  }

  @Test
  void crdsComeFirstAndAreNeverDeleted() {
    List<AppTemplate> apps = ArgoCdManifests.appTemplates();
    for (AppTemplate app : apps) {
      int wave = Integer.parseInt(app.annotations().getOrDefault("argocd.argoproj.io/sync-wave", "0"));
      if (isCrds(app)) {
        // Deleting a CRD deletes every DevOpsPolicy in the cluster.
        assertThat(wave).as(app.toString()).isNegative();
        assertThat(app.<Boolean>get("syncPolicy", "automated", "prune")).as(app.toString()).isFalse();
        assertThat(app.metadata().getOrDefault("finalizers", List.of())).as(app + ": no cascading delete")
            .asInstanceOf(InstanceOfAssertFactories.LIST).doesNotContain("resources-finalizer.argocd.argoproj.io");
      } else {
        assertThat(wave).as(app.toString()).isZero();
      }
    }
    for (GenericKubernetesResource set : ArgoCdManifests.applicationSets()) {
      assertThat(set.<Boolean>get("spec", "syncPolicy", "preserveResourcesOnDeletion"))
          .as(set.getMetadata().getName()).isTrue();
    }
  }

  @Test
  void policiesArePrunedAndHealedButNeverAllAtOnce() {
    List<AppTemplate> policies = ArgoCdManifests.appTemplates().stream().filter(a -> !isCrds(a)).toList();
    assertThat(policies).hasSize(2);
    for (AppTemplate app : policies) {
      assertThat(app.<String>get("source", "path")).isEqualTo("policies/namespaces");
      assertThat(app.<Map<String, Object>>get("syncPolicy", "automated")).as(app.toString())
          .containsEntry("prune", true).containsEntry("selfHeal", true).containsEntry("allowEmpty", false);
      assertThat(app.<List<String>>get("syncPolicy", "syncOptions")).as(app.toString())
          .contains("PruneLast=true", "CreateNamespace=false");
    }
  }

  @Test
  void theApplicationSetsSelectTheSameLabelledClusters() {
    assertThat(ArgoCdManifests.applicationSets()).hasSize(2).allSatisfy(set -> {
      List<Map<String, Object>> generators = set.get("spec", "generators");
      assertThat(generators).singleElement().satisfies(g -> assertThat(g).containsOnlyKeys("clusters"));
      assertThat(set.<Map<String, String>>get("spec", "generators", 0, "clusters", "selector", "matchLabels"))
          .containsExactly(Map.entry("devops.stochastic.io/policies", "enabled"));
      assertThat(set.<String>get("spec", "template", "spec", "destination", "server")).isEqualTo("{{ .server }}");
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theChartApplicationInstallsTheChartAndKeepsTheWebhooksCertificateAcrossRenders() {
    GenericKubernetesResource app = ArgoCdManifests.chartApplication();
    Map<String, Object> source = (Map<String, Object>) app.get("spec", "source");

    assertThat(source.get("repoURL")).isEqualTo(PLACEHOLDER);
    assertThat(Path.of((String) source.get("path"))).isEqualTo(KubeDevopsChartTest.CHART)
        .isDirectory();
    assertThat((String) app.get("spec", "source", "helm", "releaseName"))
        .isEqualTo(ChartManifests.RELEASE);
    assertThat((String) app.get("spec", "destination", "namespace")).isEqualTo("kube-devops");
    assertThat((List<String>) app.get("spec", "syncPolicy", "syncOptions")).contains(
        "CreateNamespace=true", "ServerSideApply=true", "RespectIgnoreDifferences=true");
    // Helm generates a new certificate on each render: what Argo CD compares leaves it out.
    assertThat((List<Map<String, Object>>) app.get("spec", "ignoreDifferences"))
        .extracting(d -> d.get("kind") + " " + d.get("name")).containsExactlyInAnyOrder(
            "Secret kube-devops-webhook-tls", "ValidatingWebhookConfiguration kube-devops-webhook",
            "MutatingWebhookConfiguration kube-devops-webhook");
    assertThat(app.getMetadata().getFinalizers()).as("deleting the Application uninstalls nothing")
        .isNullOrEmpty();
  }
}
