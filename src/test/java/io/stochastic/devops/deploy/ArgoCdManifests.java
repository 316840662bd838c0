package io.stochastic.devops.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.deploy.ManifestDirectory.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Argo CD objects of {@code argocd/}, as generic objects (their kinds are Argo CD's). */
final class ArgoCdManifests {
  static final ManifestDirectory DIRECTORY = new ManifestDirectory(Path.of("argocd"));

  private ArgoCdManifests() {}

  static List<GenericKubernetesResource> ofKind(String kind) {
    return DIRECTORY.all().stream().map(Manifest::object)
        .filter(o -> o.getKind().equals(kind) && o.getApiVersion().equals("argoproj.io/v1alpha1"))
        .map(GenericKubernetesResource.class::cast).toList();
  }

  /** The Applications that sync policies and CRDs: every one but the chart's install. */
  static List<GenericKubernetesResource> applications() {
    return ofKind("Application").stream().filter(a -> !a.getMetadata().getName().equals(CHART_APP))
        .toList();
  }

  /** The Application that installs kube-devops itself from the Helm chart. */
  static final String CHART_APP = "kube-devops";

  static GenericKubernetesResource chartApplication() {
    return ofKind("Application").stream().filter(a -> a.getMetadata().getName().equals(CHART_APP))
        .findFirst().orElseThrow();
  }

  static List<GenericKubernetesResource> applicationSets() {
    return ofKind("ApplicationSet");
  }

  /** What an Application would be: its metadata and spec, or an ApplicationSet's template. */
  record AppTemplate(String origin, Map<String, Object> metadata, Map<String, Object> spec) {
    @SuppressWarnings("unchecked")
    <T> T get(String... path) {
      Object node = spec;
      for (String key : path) {
        node = node == null ? null : ((Map<String, Object>) node).get(key);
      }
      return (T) node;
    }

    @SuppressWarnings("unchecked")
    Map<String, String> annotations() {
      Object annotations = metadata.get("annotations");
      return annotations == null ? Map.of() : (Map<String, String>) annotations;
    }

    @Override
    public String toString() {
      return origin;
    }
  }

  /** Every Application and every ApplicationSet's template, in file order. */
  @SuppressWarnings("unchecked")
  static List<AppTemplate> appTemplates() {
    List<AppTemplate> templates = new ArrayList<>();
    for (GenericKubernetesResource app : applications()) {
      Map<String, Object> metadata = new HashMap<>();
      if (app.getMetadata().getAnnotations() != null) {
        metadata.put("annotations", app.getMetadata().getAnnotations());
      }
      if (app.getMetadata().getFinalizers() != null) {
        metadata.put("finalizers", app.getMetadata().getFinalizers());
      }
      templates.add(new AppTemplate("Application " + app.getMetadata().getName(), metadata,
          (Map<String, Object>) app.get("spec")));
    }
    for (GenericKubernetesResource set : applicationSets()) {
      templates.add(new AppTemplate("ApplicationSet " + set.getMetadata().getName(),
          (Map<String, Object>) set.get("spec", "template", "metadata"),
          (Map<String, Object>) set.get("spec", "template", "spec")));
    }
    return templates;
  }
}
