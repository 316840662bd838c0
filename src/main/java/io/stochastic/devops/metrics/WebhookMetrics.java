package io.stochastic.devops.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * The admission webhook's metrics ({@code webhook serve}), served on its {@code /metrics}.
 * Label {@code webhook} is {@code validate} or {@code mutate}; {@code operation} and {@code
 * kind} are the review's; {@code decision} is what it answered ({@code allowed}, {@code warned},
 * {@code denied}, {@code patched}, {@code skipped}, {@code fail-open}, {@code fail-closed}).
 * Kinds are the few the webhook configuration routes here, so the label stays small.
 */
public final class WebhookMetrics {
  public static final String REQUESTS_TOTAL = "kube_devops_webhook_requests_total";
  public static final String REQUEST_DURATION_SECONDS =
      "kube_devops_webhook_request_duration_seconds";
  public static final String ERRORS_TOTAL = "kube_devops_webhook_errors_total";
  public static final String FAIL_OPENS_TOTAL = "kube_devops_webhook_fail_opens_total";
  public static final String CERTIFICATE_RELOADS_TOTAL =
      "kube_devops_webhook_certificate_reloads_total";

  public static final String WEBHOOK = "webhook";
  public static final String OPERATION = "operation";
  public static final String KIND = "kind";
  public static final String DECISION = "decision";
  /** Why a review failed: {@code malformed}, {@code oversized}, {@code internal}, {@code timeout}, {@code overloaded}. */
  public static final String REASON = "reason";
  public static final String RESULT = "result";

  private final Counter requests;
  private final Histogram duration;
  private final Counter errors;
  private final Counter failOpens;
  private final Counter reloads;

  /** Registers every webhook metric in {@code registry}; register once per registry. */
  public WebhookMetrics(PrometheusRegistry registry) {
    requests = Counter.builder()
        .name(REQUESTS_TOTAL)
        .help("AdmissionReviews answered, by webhook, operation, kind and decision.")
        .labelNames(WEBHOOK, OPERATION, KIND, DECISION)
        .register(registry);
    duration = Histogram.builder()
        .name(REQUEST_DURATION_SECONDS)
        .help("Time from a review's body read to its answer written, by webhook.")
        .unit(Unit.SECONDS)
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5)
        .labelNames(WEBHOOK)
        .register(registry);
    errors = Counter.builder()
        .name(ERRORS_TOTAL)
        .help("Reviews that could not be judged: malformed or oversized bodies (answered 400),"
            + " internal errors, exceeded time budgets and overload (answered by the failure"
            + " mode).")
        .labelNames(WEBHOOK, REASON)
        .register(registry);
    failOpens = Counter.builder()
        .name(FAIL_OPENS_TOTAL)
        .help("Reviews allowed without a verdict because judging failed or took too long"
            + " (fail-open, the default).")
        .labelNames(WEBHOOK, REASON)
        .register(registry);
    reloads = Counter.builder()
        .name(CERTIFICATE_RELOADS_TOTAL)
        .help("Reloads of the serving certificate after its files changed, by result"
            + " (ok, or failed: the previous certificate stays in use).")
        .labelNames(RESULT)
        .register(registry);
  }

  public void answered(String webhook, String operation, String kind, String decision,
      Duration took) {
    requests.labelValues(webhook, operation, kind, decision).inc();
    duration.labelValues(webhook).observe(took.toNanos() / 1e9);
  }

  public void error(String webhook, String reason) {
    errors.labelValues(webhook, reason).inc();
  }

  public void failedOpen(String webhook, String reason) {
    failOpens.labelValues(webhook, reason).inc();
  }

  public void certificateReloaded(boolean ok) {
    reloads.labelValues(ok ? "ok" : "failed").inc();
  }
}
