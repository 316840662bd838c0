package io.stochastic.devops.auditor;

import io.stochastic.devops.runtime.RetryPolicy;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.auditor.AuditRunSummary.CheckViolations;
import io.stochastic.devops.auditor.AuditRunSummary.NamespaceSummary;
import io.stochastic.devops.metrics.AuditorMetrics;
import io.stochastic.devops.metrics.MetricLabels;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes an {@link AuditRunSummary} to a Prometheus Pushgateway with client_java's {@link
 * PushGateway}: a fresh registry per run, under the grouping key {@code job} + {@code cluster},
 * with PUT, so the group is replaced and the series of a namespace that is gone disappear.
 * Connection failures, timeouts and 5xx answers are retried per the {@link RetryPolicy}; a 4xx is
 * not. Thread-safe; one instance can publish many runs.
 */
public final class PushgatewayPublisher {
  /** The {@code job} of the grouping key unless {@link Builder#job(String)} says otherwise. */
  public static final String DEFAULT_JOB = "kube-devops-auditor";

  private static final Logger LOG = LoggerFactory.getLogger(PushgatewayPublisher.class);
  // client_java 1.5 reports a non-2xx answer only as an IOException with this message.
  private static final Pattern HTTP_ERROR =
      Pattern.compile("Response code from \\S+ was (\\d{3})(?:, response body: (.*))?",
          Pattern.DOTALL);
  private static final int MAX_BODY_IN_MESSAGE = 300;

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final String address;
  private final String hostAndPort;
  private final Scheme scheme;
  private final String job;
  private final Format format;
  private final RetryPolicy retry;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Sleeper sleeper;
  private final Clock clock;

  private PushgatewayPublisher(Builder builder) {
    this.address = builder.address;
    URI uri = parseAddress(builder.address);
    this.scheme = "https".equals(uri.getScheme()) ? Scheme.HTTPS : Scheme.HTTP;
    this.hostAndPort = uri.getRawAuthority() + uri.getRawPath().replaceAll("/+$", "");
    this.job = builder.job;
    this.format = builder.format;
    this.retry = builder.retry;
    this.connectTimeout = builder.connectTimeout;
    this.readTimeout = builder.readTimeout;
    this.sleeper = builder.sleeper;
    this.clock = builder.clock;
  }

  /**
   * @param address {@code host:port}, optionally with {@code http://} or {@code https://} and a
   *     path prefix ({@code https://gateway.example:443/prom})
   */
  public static Builder builder(String address) {
    return new Builder(address);
  }

  /**
   * Replaces the cluster's group on the gateway with the metrics of {@code summary}.
   *
   * @throws PushgatewayException when the gateway answered 4xx, or every allowed attempt failed
   */
  public void publish(AuditRunSummary summary) {
    PushGateway gateway = PushGateway.builder()
        .scheme(scheme)
        .address(hostAndPort)
        .job(job)
        .groupingKey(MetricLabels.CLUSTER, summary.cluster())
        .format(format)
        .connectionTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .registry(registry(summary))
        .build();
    Instant start = clock.instant();
    for (int attempt = 1; ; attempt++) {
      Failure failure;
      try {
        gateway.push();
        return;
      } catch (IOException e) {
        failure = Failure.of(e);
      }
      Duration elapsed = Duration.between(start, clock.instant());
      if (!failure.retryable()) {
        throw failure.toException(address, attempt, "not retried");
      }
      Duration backoff = retry.backoff(attempt);
      if (attempt >= retry.maxAttempts() || elapsed.plus(backoff).compareTo(retry.maxTotal()) > 0) {
        throw failure.toException(address, attempt, attempts(attempt) + " in " + human(elapsed));
      }
      LOG.warn("push to the Pushgateway at {} failed: {}; attempt {} of {}, next in {}", address,
          failure.cause(), attempt, retry.maxAttempts(), human(backoff));
      try {
        sleeper.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PushgatewayException("interrupted while waiting to retry the push to the"
            + " Pushgateway at " + address + " (last failure: " + failure.cause() + ")",
            address, attempt, failure.status(), e);
      }
    }
  }

  /** The metrics of one run in a registry of their own. */
  static PrometheusRegistry registry(AuditRunSummary summary) {
    PrometheusRegistry registry = new PrometheusRegistry();
    AuditorMetrics metrics = new AuditorMetrics(registry);
    metrics.clusterScore(summary.cluster(), summary.clusterScore());
    for (NamespaceSummary ns : summary.namespaces()) {
      metrics.namespaceScore(ns.namespace(), ns.policy(), ns.score());
      ns.violationsBySeverity().forEach((severity, count) ->
          metrics.violations(ns.namespace(), severity, count));
      for (CheckViolations check : ns.checkViolations()) {
        metrics.checkViolations(ns.namespace(), check.check(), check.severity(), check.count());
      }
      metrics.workloads(ns.namespace(), ns.workloads());
      metrics.exemptWorkloads(ns.namespace(), ns.exemptWorkloads());
    }
    metrics.resultsWritten(summary.resultsWritten());
    metrics.resultWriteFailures(summary.resultWriteFailures());
    metrics.runDuration(summary.duration());
    metrics.lastSuccess(summary.finishedAt());
    return registry;
  }

  private static URI parseAddress(String address) {
    String trimmed = address == null ? "" : address.trim();
    String withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed;
    URI uri;
    try {
      uri = URI.create(withScheme);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri != null && uri.getRawUserInfo() != null) {
      // Not echoed: the message would carry the password into logs.
      throw new IllegalArgumentException("invalid Pushgateway address: credentials in the"
          + " address are not supported");
    }
    if (uri == null || uri.getHost() == null || uri.getQuery() != null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException("invalid Pushgateway address '" + address
          + "': expected host:port, http://host:port or https://host:port");
    }
    return uri;
  }

  private static String attempts(int n) {
    return n == 1 ? "1 attempt" : n + " attempts";
  }

  private static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis < 1000
        ? millis + " ms"
        : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /** Why one attempt failed: the HTTP status (0 without an answer) and a short cause. */
  private record Failure(int status, String cause, IOException exception) {
    static Failure of(IOException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String message = root.getMessage() == null ? "" : root.getMessage().strip();
      Matcher http = HTTP_ERROR.matcher(message);
      if (http.matches()) {
        String body = http.group(2) == null ? "" : oneLine(http.group(2));
        int status = Integer.parseInt(http.group(1));
        return new Failure(status, "HTTP " + status + (body.isEmpty() ? "" : ": " + body), e);
      }
      String cause;
      if (root instanceof UnknownHostException) {
        cause = "unknown host " + message;
      } else if (root instanceof ConnectException && message.isEmpty()) {
        cause = "cannot connect";
      } else if (root instanceof SocketTimeoutException) {
        cause = "no answer in time (" + lowerFirst(message) + ")";
      } else {
        cause = message.isEmpty() ? "I/O error" : lowerFirst(oneLine(message));
      }
      return new Failure(0, cause, e);
    }

    boolean retryable() {
      return status < 400 || status >= 500;
    }

    PushgatewayException toException(String address, int attempts, String detail) {
      return new PushgatewayException("cannot push metrics to the Pushgateway at " + address
          + ": " + cause + " (" + detail + ")", address, attempts, status, exception);
    }

    private static String oneLine(String text) {
      String line = text.strip().replaceAll("\\s+", " ");
      return line.length() <= MAX_BODY_IN_MESSAGE
          ? line
          : line.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    private static String lowerFirst(String text) {
      return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
  }

  public static final class Builder {
    private final String address;
    private String job = DEFAULT_JOB;
    private Format format = Format.PROMETHEUS_PROTOBUF;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private Clock clock = Clock.systemUTC();

    private Builder(String address) {
      this.address = address;
    }

    public Builder job(String job) {
      this.job = Objects.requireNonNull(job, "job");
      return this;
    }

    /** Protobuf (the default, client_java's) or Prometheus text; the gateway stores the same. */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Per attempt; defaults 5 s to connect, 10 s to read the answer. */
    public Builder timeouts(Duration connect, Duration read) {
      this.connectTimeout = Objects.requireNonNull(connect, "connect");
      this.readTimeout = Objects.requireNonNull(read, "read");
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Measures the time spent against {@link RetryPolicy#maxTotal()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @throws IllegalArgumentException when the address is not host:port or an http(s) URL */
    public PushgatewayPublisher build() {
      return new PushgatewayPublisher(this);
    }
  }
}
