package io.stochastic.devops.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.deploy.ObservabilityManifests;
import io.stochastic.devops.deploy.RbacManifests;
import io.stochastic.devops.deploy.observability.AlertRules;
import io.stochastic.devops.deploy.observability.AlertThresholds;
import io.stochastic.devops.deploy.observability.Dashboard;
import io.stochastic.devops.kube.ObjectYaml;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kube-devops observability generate-*}: ServiceMonitors, the PrometheusRule of the
 * alerts and the Grafana dashboard (docs/observability.md).
 */
@Command(name = "observability", description = "Print what Prometheus and Grafana need to "
    + "watch kube-devops: ServiceMonitors, alerts (PrometheusRule) and the dashboard.",
    subcommands = {ObservabilityCommand.GenerateAll.class,
        ObservabilityCommand.GenerateServiceMonitors.class,
        ObservabilityCommand.GenerateDashboard.class, ObservabilityCommand.GenerateAlerts.class})
final class ObservabilityCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: generate-all, "
        + "generate-service-monitors, generate-dashboard or generate-alerts");
  }

  /** {@code -n}, {@code -o}, {@code -l}: where the objects go and how they are printed. */
  static final class ObjectOptions {
    /** {@code -o} values. */
    enum Format { yaml, json }

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
        defaultValue = RbacManifests.DEFAULT_NAMESPACE,
        description = "The components' namespace: where their Services are, and these objects "
            + "(default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
        description = "yaml (multi-document, commented) or json (a v1 List) (default: "
            + "${DEFAULT-VALUE}).")
    String output;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE",
        description = "A label for every object, repeatable: the one your Prometheus selects "
            + "ServiceMonitors and rules by (kube-prometheus-stack: release=<its release>).")
    Map<String, String> labels = new LinkedHashMap<>();

    /** The objects, with the command line that made them in a YAML header. */
    String print(ObservabilityManifests manifests, List<HasMetadata> objects, CommandSpec spec) {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      return format == Format.json ? manifests.json(objects)
          : manifests.yaml(objects, "kube-devops " + String.join(" ",
              spec.commandLine().getParseResult().originalArgs()));
    }

    ObservabilityManifests manifests(Application application, AlertRules alerts) {
      if (namespace.isBlank()) {
        throw new UserException("--namespace must not be empty");
      }
      return new ObservabilityManifests(namespace,
          application.buildInfo().version().replace("-SNAPSHOT", ""), labels, alerts);
    }
  }

  /** The alerts' thresholds ({@link AlertThresholds#DEFAULTS}) and where their runbooks are. */
  static final class AlertOptions {
    @Option(names = "--auditor-stale-after", paramLabel = "DURATION", defaultValue = "2h",
        description = "KubeDevopsAuditorNotSucceeding: no completed audit run for this long "
            + "(default: ${DEFAULT-VALUE}).")
    String auditorStaleAfter;

    @Option(names = "--sync-stale-after", paramLabel = "DURATION", defaultValue = "15m",
        description = "KubeDevopsSyncStale: no completed sync round for this long (default: "
            + "${DEFAULT-VALUE}).")
    String syncStaleAfter;

    @Option(names = "--watch-stale-after", paramLabel = "DURATION", defaultValue = "5m",
        description = "KubeDevopsWatchStale: no watch evaluation for this long (default: "
            + "${DEFAULT-VALUE}).")
    String watchStaleAfter;

    @Option(names = "--webhook-p99-above", paramLabel = "DURATION", defaultValue = "500ms",
        description = "KubeDevopsWebhookLatencyHigh: the webhook's p99 latency above this "
            + "(default: ${DEFAULT-VALUE}).")
    String webhookP99;

    @Option(names = "--webhook-fail-open-ratio", paramLabel = "RATIO", defaultValue = "0.01",
        description = "KubeDevopsWebhookFailingOpen: the share of reviews admitted without a "
            + "verdict above this (default: ${DEFAULT-VALUE}).")
    double webhookFailOpenRatio;

    @Option(names = "--cluster-score-below", paramLabel = "SCORE", defaultValue = "60",
        description = "KubeDevopsClusterScoreLow: an audited cluster scoring below this "
            + "(default: ${DEFAULT-VALUE}, the lower bound of Stable).")
    int clusterScoreBelow;

    @Option(names = "--runbook-url", paramLabel = "URL",
        defaultValue = AlertRules.DEFAULT_RUNBOOK_URL,
        description = "docs/observability.md where your on-call reads it; each alert's "
            + "runbook_url is this plus its anchor (default: ${DEFAULT-VALUE}).")
    String runbookUrl;

    AlertRules rules() {
      try {
        return new AlertRules(new AlertThresholds(
            ComponentOptions.positive("--auditor-stale-after", auditorStaleAfter),
            ComponentOptions.positive("--sync-stale-after", syncStaleAfter),
            ComponentOptions.positive("--watch-stale-after", watchStaleAfter),
            ComponentOptions.positive("--webhook-p99-above", webhookP99).toNanos() / 1e9,
            webhookFailOpenRatio, clusterScoreBelow), runbookUrl);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
    }

    /** The documented defaults, for the commands that print no alert. */
    static AlertRules defaults() {
      return new AlertRules(AlertThresholds.DEFAULTS, AlertRules.DEFAULT_RUNBOOK_URL);
    }
  }

  @Command(name = "generate-all", description = {"Print the ServiceMonitors of the scraped "
      + "components, the PrometheusRule of the alerts and the dashboard's ConfigMap (for the "
      + "Grafana sidecar), all in the components' namespace.", ""},
      footer = {"", "Examples:",
          "  kube-devops observability generate-all | kubectl apply -f -",
          "  kube-devops observability generate-all -l release=monitoring --auditor-stale-after 6h"})
  static final class GenerateAll implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ObjectOptions objects;
    @Mixin
    AlertOptions alerts;

    GenerateAll(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      ObservabilityManifests manifests = objects.manifests(application, alerts.rules());
      return print(spec, objects.print(manifests, manifests.all(), spec));
    }
  }

  @Command(name = "generate-service-monitors", description = {"Print a ServiceMonitor per "
      + "component Prometheus scrapes: operator, watch, sync, webhook. Each selects the "
      + "Service kube-devops-COMPONENT by its labels app.kubernetes.io/name: kube-devops and "
      + "app.kubernetes.io/component: COMPONENT and scrapes its port named metrics, with "
      + "honorLabels. The auditor pushes to a Pushgateway instead (docs/observability.md).", ""},
      footer = {"", "Examples:",
          "  kube-devops observability generate-service-monitors --component webhook"})
  static final class GenerateServiceMonitors implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ObjectOptions objects;

    @Option(names = "--component", paramLabel = "NAME", defaultValue = "all",
        description = "operator, watch, sync, webhook or all (default: ${DEFAULT-VALUE}).")
    String component;

    GenerateServiceMonitors(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      ObservabilityManifests manifests = objects.manifests(application, AlertOptions.defaults());
      List<HasMetadata> selected = component.equals("all") ? manifests.serviceMonitors()
          : List.of(manifests.serviceMonitor(scraped(component)));
      return print(spec, objects.print(manifests, selected, spec));
    }

    private static Component scraped(String id) {
      List<Component> scraped = ObservabilityManifests.scrapedComponents();
      for (Component c : scraped) {
        if (c.id().equals(id)) {
          return c;
        }
      }
      List<String> names = new ArrayList<>(scraped.stream().map(Component::id).toList());
      names.add("all");
      throw OutputFormat.invalid(id, "--component", names);
    }
  }

  @Command(name = "generate-dashboard", description = {"Print the Grafana dashboard (JSON, "
      + "Grafana 10 or newer) to import, with a data source variable; or, with --configmap, the "
      + "ConfigMap the Grafana sidecar loads (label grafana_dashboard: \"1\").", ""},
      footer = {"", "Examples:",
          "  kube-devops observability generate-dashboard > kube-devops.json",
          "  kube-devops observability generate-dashboard --configmap -n monitoring | kubectl "
              + "apply -f -"})
  static final class GenerateDashboard implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ObjectOptions objects;

    @Option(names = "--configmap", description = "Print the dashboard in its ConfigMap, in the "
        + "format -o says.")
    boolean configMap;

    GenerateDashboard(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      if (!configMap) {
        return print(spec, Dashboard.json());
      }
      ObservabilityManifests manifests = objects.manifests(application, AlertOptions.defaults());
      return print(spec, objects.print(manifests, List.of(manifests.dashboardConfigMap()), spec));
    }
  }

  @Command(name = "generate-alerts", description = {"Print the alerts as a PrometheusRule "
      + "(the Prometheus operator's), or with --rules-file as a plain Prometheus rules file. "
      + "Each alert's runbook_url is its paragraph of docs/observability.md; the thresholds are "
      + "flags with documented defaults.", ""},
      footer = {"", "Examples:",
          "  kube-devops observability generate-alerts | kubectl apply -f -",
          "  kube-devops observability generate-alerts --rules-file > kube-devops.rules.yaml "
              + "&& promtool check rules kube-devops.rules.yaml"})
  static final class GenerateAlerts implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ObjectOptions objects;
    @Mixin
    AlertOptions alerts;

    @Option(names = "--rules-file", description = "Print a Prometheus rules file (groups:) "
        + "instead of a PrometheusRule.")
    boolean rulesFile;

    GenerateAlerts(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      AlertRules rules = alerts.rules();
      if (rulesFile) {
        return print(spec, ObjectYaml.asIs().write(rules.spec()));
      }
      ObservabilityManifests manifests = objects.manifests(application, rules);
      return print(spec, objects.print(manifests, List.of(manifests.prometheusRule()), spec));
    }
  }

  private static int print(CommandSpec spec, String text) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
    return ExitCode.OK;
  }
}
