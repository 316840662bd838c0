package io.stochastic.devops.webhook;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ValidatingWebhookConfiguration and MutatingWebhookConfiguration that route pods and the
 * workload kinds to {@code webhook serve} ({@code webhook install-config}), as trees ready to
 * print or apply.
 *
 * <p>Built never to be the cause of an outage: the namespace selector leaves out the system
 * namespaces (and the webhook's own, so that with {@code failurePolicy: Fail} its pods can
 * still be created while it is down); {@code sideEffects: None} lets dry-run requests through;
 * {@code timeoutSeconds: 5} bounds what the webhook adds to a request.
 */
public final class WebhookConfigurations {
  /** The name of both configurations. */
  public static final String NAME = "kube-devops-webhook";
  public static final String VALIDATING_WEBHOOK = "validate.devops.stochastic.io";
  public static final String MUTATING_WEBHOOK = "mutate.devops.stochastic.io";
  public static final int TIMEOUT_SECONDS = 5;

  /** Where the API server calls the webhook: a Service, or a URL. */
  public sealed interface Target permits Service, Url {}

  public record Service(String name, String namespace, int port) implements Target {}

  /** @param url the webhook's base URL; {@code /validate} and {@code /mutate} are added */
  public record Url(String url) implements Target {}

  /** The pods and workload kinds, by API group and resource. */
  static final Map<String, List<String>> RESOURCES = Map.of(
      "", List.of("pods", "replicationcontrollers"),
      "apps", List.of("deployments", "statefulsets", "daemonsets", "replicasets"),
      "batch", List.of("jobs", "cronjobs"));

  private WebhookConfigurations() {}

  /**
   * @param caBundle the PEM of the CA that signed the serving certificate
   * @param failurePolicy {@code Ignore} or {@code Fail}
   * @param excludedNamespaces namespaces the API server never sends (the system ones)
   */
  public static List<Map<String, Object>> build(Target target, byte[] caBundle,
      String failurePolicy, Set<String> excludedNamespaces) {
    Set<String> excluded = new TreeSet<>(excludedNamespaces);
    if (target instanceof Service service) {
      excluded.add(service.namespace());
    }
    String bundle = Base64.getEncoder().encodeToString(caBundle);
    Map<String, Object> mutating = configuration("MutatingWebhookConfiguration",
        webhook(MUTATING_WEBHOOK, "/mutate", target, bundle, failurePolicy, excluded));
    // one pass: a later mutating webhook's change is judged by /validate anyway
    @SuppressWarnings("unchecked")
    Map<String, Object> mutatingWebhook =
        ((List<Map<String, Object>>) mutating.get("webhooks")).get(0);
    mutatingWebhook.put("reinvocationPolicy", "Never");
    Map<String, Object> validating = configuration("ValidatingWebhookConfiguration",
        webhook(VALIDATING_WEBHOOK, "/validate", target, bundle, failurePolicy, excluded));
    return List.of(validating, mutating);
  }

  private static Map<String, Object> configuration(String kind, Map<String, Object> webhook) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "admissionregistration.k8s.io/v1");
    object.put("kind", kind);
    object.put("metadata", new LinkedHashMap<>(Map.of("name", NAME, "labels",
        Map.of("app.kubernetes.io/name", "kube-devops", "app.kubernetes.io/component",
            "webhook"))));
    List<Map<String, Object>> webhooks = new ArrayList<>();
    webhooks.add(webhook);
    object.put("webhooks", webhooks);
    return object;
  }

  private static Map<String, Object> webhook(String name, String path, Target target,
      String caBundle, String failurePolicy, Set<String> excluded) {
    Map<String, Object> clientConfig = new LinkedHashMap<>();
    if (target instanceof Service service) {
      clientConfig.put("service", new LinkedHashMap<>(Map.of("name", service.name(),
          "namespace", service.namespace(), "path", path, "port", service.port())));
    } else if (target instanceof Url url) {
      clientConfig.put("url", url.url().replaceAll("/+$", "") + path);
    }
    clientConfig.put("caBundle", caBundle);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (String group : List.of("", "apps", "batch")) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("apiGroups", List.of(group));
      rule.put("apiVersions", List.of("*"));
      rule.put("operations", List.of("CREATE", "UPDATE"));
      rule.put("resources", RESOURCES.get(group));
      rule.put("scope", "Namespaced");
      rules.add(rule);
    }
    Map<String, Object> webhook = new LinkedHashMap<>();
    webhook.put("name", name);
    webhook.put("admissionReviewVersions", List.of("v1"));
    webhook.put("clientConfig", clientConfig);
    webhook.put("rules", rules);
    webhook.put("failurePolicy", failurePolicy);
    webhook.put("matchPolicy", "Equivalent");
    webhook.put("namespaceSelector", Map.of("matchExpressions", List.of(Map.of(
        "key", "kubernetes.io/metadata.name", "operator", "NotIn",
        "values", List.copyOf(excluded)))));
    webhook.put("sideEffects", "None");
    webhook.put("timeoutSeconds", TIMEOUT_SECONDS);
    return webhook;
  }
}
