package io.stochastic.devops.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.metrics.WebhookMetrics;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection of the webhook shares: the judges and their pool, the settings, the
 * metrics, the body budget, and the failure mode that answers a review no judge could.
 */
final class Reviews {
  private static final Logger LOG = LoggerFactory.getLogger(Reviews.class);

  private final WebhookSettings settings;
  private final Function<AdmissionInput, Verdict> validate;
  private final Function<AdmissionInput, Verdict> mutate;
  private final ExecutorService judges;
  private final WebhookMetrics metrics;
  private final BodyBudget budget;
  private final ObjectMapper mapper = Serialization.jsonMapper();

  Reviews(WebhookSettings settings, Function<AdmissionInput, Verdict> validate,
      Function<AdmissionInput, Verdict> mutate, ExecutorService judges, WebhookMetrics metrics,
      BodyBudget budget) {
    this.settings = settings;
    this.validate = validate;
    this.mutate = mutate;
    this.judges = judges;
    this.metrics = metrics;
    this.budget = budget;
  }

  /** The judge of a path: validate, mutate, or null for any other path. */
  Function<AdmissionInput, Verdict> judge(String webhook) {
    return switch (webhook) {
      case "validate" -> validate;
      case "mutate" -> mutate;
      default -> null;
    };
  }

  WebhookSettings settings() {
    return settings;
  }

  ExecutorService judges() {
    return judges;
  }

  WebhookMetrics metrics() {
    return metrics;
  }

  BodyBudget budget() {
    return budget;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** The failure mode's answer to a review that could not be judged, counted and logged. */
  Verdict failed(String webhook, AdmissionInput input, String reason, String detail) {
    metrics.error(webhook, reason);
    String what = "kube-devops " + webhook + " webhook could not judge " + input.displayName()
        + " (" + detail + ")";
    LOG.atWarn().addKeyValue("object", input.displayName()).addKeyValue("uid", input.uid())
        .addKeyValue("reason", reason)
        .log("{}; {}", what, settings.failClosed() ? "denied (fail-closed)"
            : "admitted without review (fail-open)");
    if (settings.failClosed()) {
      return new Verdict(false, "fail-closed", what + "; denied (fail-closed)", List.of(), null);
    }
    metrics.failedOpen(webhook, reason);
    return new Verdict(true, "fail-open", null,
        List.of(what + "; admitted without review (fail-open)"), null);
  }
}
