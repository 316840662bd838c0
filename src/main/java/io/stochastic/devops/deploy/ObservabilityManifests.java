package io.stochastic.devops.deploy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.stochastic.devops.deploy.observability.AlertRules;
import io.stochastic.devops.deploy.observability.Dashboard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Prometheus and Grafana need to watch kube-devops (docs/observability.md): a
 * ServiceMonitor per scraped component, the PrometheusRule of its alerts and the dashboard in a
 * ConfigMap the Grafana sidecar loads. The Helm chart renders the same objects.
 */
public final class ObservabilityManifests {
  /** The Prometheus operator's API. */
  public static final String MONITORING_API = "monitoring.coreos.com/v1";
  public static final String RULE_NAME = "kube-devops";
  public static final String DASHBOARD_NAME = "kube-devops-dashboard";
  /** The key of the dashboard in its ConfigMap: the sidecar writes it as this file. */
  public static final String DASHBOARD_KEY = "kube-devops.json";
  /** The Grafana sidecar's default label for ConfigMaps holding dashboards. */
  public static final String GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";
  private static final String SCRAPE_INTERVAL = "30s";

  private final String namespace;
  private final String version;
  private final Map<String, String> extraLabels;
  private final AlertRules alerts;

  /**
   * @param namespace where the components and these objects are
   * @param version the {@code app.kubernetes.io/version} label
   * @param extraLabels added to every object, for a Prometheus that selects ServiceMonitors and
   *     rules by label (kube-prometheus-stack wants {@code release: <its release>})
   */
  public ObservabilityManifests(String namespace, String version, Map<String, String> extraLabels,
      AlertRules alerts) {
    this.namespace = namespace;
    this.version = version;
    this.extraLabels = Map.copyOf(extraLabels);
    this.alerts = alerts;
  }

  /** The components Prometheus scrapes: all but the auditor, which pushes. */
  public static List<Component> scrapedComponents() {
    List<Component> out = new ArrayList<>();
    for (Component component : Component.values()) {
      if (component.metricsPort().isPresent()) {
        out.add(component);
      }
    }
    return out;
  }

  /**
   * The ServiceMonitor of {@code component}: its Service {@code kube-devops-<id>} (selected by
   * its name and component labels) in {@link #namespace}, port {@code metrics}. {@code
   * honorLabels}: the metrics' own {@code namespace} label is the audited namespace and must not
   * be renamed {@code exported_namespace} by the target's.
   */
  public GenericKubernetesResource serviceMonitor(Component component) {
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("port", Component.METRICS_PORT_NAME);
    endpoint.put("path", "/metrics");
    endpoint.put("interval", SCRAPE_INTERVAL);
    endpoint.put("honorLabels", true);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", component.selectorLabels()));
    spec.put("namespaceSelector", Map.of("matchNames", List.of(namespace)));
    spec.put("endpoints", List.of(endpoint));
    return new GenericKubernetesResourceBuilder().withApiVersion(MONITORING_API)
        .withKind("ServiceMonitor").withMetadata(meta(component.accountName(), component.id()))
        .addToAdditionalProperties("spec", spec).build();
  }

  public List<HasMetadata> serviceMonitors() {
    return scrapedComponents().stream().map(c -> (HasMetadata) serviceMonitor(c)).toList();
  }

  /** Every alert of {@link AlertRules}, as the Prometheus operator loads them. */
  public GenericKubernetesResource prometheusRule() {
    return new GenericKubernetesResourceBuilder().withApiVersion(MONITORING_API)
        .withKind("PrometheusRule").withMetadata(meta(RULE_NAME, null))
        .addToAdditionalProperties("spec", alerts.spec()).build();
  }

  /** The dashboard, labelled for the Grafana sidecar ({@code grafana_dashboard: "1"}). */
  public HasMetadata dashboardConfigMap() {
    ObjectMeta meta = meta(DASHBOARD_NAME, null);
    meta.getLabels().put(GRAFANA_DASHBOARD_LABEL, "1");
    return new ConfigMapBuilder().withMetadata(meta)
        .addToData(DASHBOARD_KEY, Dashboard.json()).build();
  }

  /** Every object, in the order {@code observability generate-all} prints them. */
  public List<HasMetadata> all() {
    List<HasMetadata> out = new ArrayList<>(serviceMonitors());
    out.add(prometheusRule());
    out.add(dashboardConfigMap());
    return out;
  }

  /**
   * Multi-document YAML under a header that says how it was made.
   *
   * @param command the command line that printed it, for the header
   */
  public String yaml(List<HasMetadata> objects, String command) {
    StringBuilder out = new StringBuilder();
    ManifestText.comment(out, "Generated by `" + command + "` from the metric definitions "
        + "(io.stochastic.devops.metrics) and io.stochastic.devops.deploy.observability: "
        + "generate again rather than editing this output. docs/observability.md describes "
        + "every metric, panel and alert.");
    for (HasMetadata object : objects) {
      out.append("---\n");
      ManifestText.comment(out, why(object));
      out.append(ManifestText.yaml(object));
    }
    return out.toString();
  }

  /** A {@code v1 List} of {@code objects}. */
  public String json(List<HasMetadata> objects) {
    return ManifestText.jsonList(objects);
  }

  private String why(HasMetadata object) {
    return switch (object.getKind()) {
      case "ServiceMonitor" -> "Scrapes /metrics of the Service " + object.getMetadata().getName()
          + " (port named metrics). honorLabels keeps the metrics' own namespace label, the "
          + "namespace judged, instead of renaming it exported_namespace.";
      case "PrometheusRule" -> "The alerts; each one's runbook_url is its paragraph in "
          + "docs/observability.md.";
      default -> "The Grafana dashboard, for the Grafana sidecar (label grafana_dashboard: \"1\"; "
          + "the sidecar must watch the namespace " + namespace + " or all namespaces).";
    };
  }

  private ObjectMeta meta(String name, String componentId) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Component.NAME, Component.PROJECT);
    if (componentId != null) {
      labels.put(Component.COMPONENT, componentId);
    }
    labels.put(Component.PART_OF, Component.PROJECT);
    labels.put(Component.VERSION, version);
    labels.putAll(extraLabels);
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels)
        .build();
  }
}
