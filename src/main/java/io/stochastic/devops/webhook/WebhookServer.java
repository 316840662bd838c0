package io.stochastic.devops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.metrics.WebhookMetrics;
import io.stochastic.devops.runtime.JdkHttpServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's HTTPS server: {@code POST /validate} and {@code POST /mutate} take an
 * AdmissionReview v1 and answer one. The JDK's HTTPS server (as the component runtime's plain
 * port uses the JDK's HTTP server), TLS 1.2 and 1.3 only, with the certificate of a
 * {@link ServingCertificate}, which follows its files.
 *
 * <p>Never the cause of an outage: a body above the size limit or one that is no AdmissionReview
 * is a 400 (the API server then applies the configuration's failurePolicy); a review that fails
 * inside, exceeds its time budget or finds every judge busy is answered by the failure mode —
 * admitted with a warning (fail-open, the default) or denied ({@code --fail-closed}) — and
 * counted and logged. Judging runs on its own bounded pool, so a slow review is abandoned at its
 * budget while the connection threads keep serving.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  public static final String VALIDATE = "/validate";
  public static final String MUTATE = "/mutate";

  private final HttpsServer server;
  private final ThreadPoolExecutor connections;
  private final ThreadPoolExecutor judges;
  private final WebhookSettings settings;
  private final WebhookMetrics metrics;
  private final ObjectMapper mapper = Serialization.jsonMapper();

  private WebhookServer(HttpsServer server, ThreadPoolExecutor connections,
      ThreadPoolExecutor judges, WebhookSettings settings, WebhookMetrics metrics) {
    this.server = server;
    this.connections = connections;
    this.judges = judges;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts serving; throws {@link UncheckedIOException} when the port cannot be bound. */
  public static WebhookServer start(WebhookSettings settings, AdmissionReviewer reviewer,
      SSLContext tls, WebhookMetrics metrics) {
    return start(settings, reviewer::validate, reviewer::mutate, tls, metrics);
  }

  /** Starts serving with these judges (tests give slow or failing ones). */
  static WebhookServer start(WebhookSettings settings, Function<AdmissionInput, Verdict> validate,
      Function<AdmissionInput, Verdict> mutate, SSLContext tls, WebhookMetrics metrics) {
    ThreadPoolExecutor judges = pool("kube-devops-webhook-judge", settings.concurrency(),
        new ArrayBlockingQueue<>(Math.max(1, settings.queue())),
        new ThreadPoolExecutor.AbortPolicy());
    // Connection threads only read, wait and write; when all are busy the dispatcher runs the
    // exchange itself, which stops it accepting: back-pressure instead of an unbounded queue.
    ThreadPoolExecutor connections = pool("kube-devops-webhook-http",
        settings.concurrency() * 4, new ArrayBlockingQueue<>(settings.concurrency() * 16),
        new ThreadPoolExecutor.CallerRunsPolicy());
    HttpsServer server;
    JdkHttpServers.noDelay();
    try {
      server = HttpsServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()),
          1024);
    } catch (IOException e) {
      judges.shutdownNow();
      connections.shutdownNow();
      throw new UncheckedIOException("cannot serve HTTPS on " + settings.bindAddress() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        params.setSSLParameters(parameters);
      }
    });
    server.setExecutor(connections);
    WebhookServer webhook = new WebhookServer(server, connections, judges, settings, metrics);
    server.createContext(VALIDATE, exchange -> webhook.handle(exchange, "validate", validate));
    server.createContext(MUTATE, exchange -> webhook.handle(exchange, "mutate", mutate));
    server.createContext("/", exchange -> {
      try (exchange) {
        webhook.respond(exchange, 404, "text/plain; charset=utf-8",
            ("not found: " + exchange.getRequestURI().getPath() + " (POST " + VALIDATE + " or "
                + MUTATE + ")\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
    return webhook;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange, String webhook, Function<AdmissionInput, Verdict> judge)
      throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, "text/plain; charset=utf-8",
            "an AdmissionReview is POSTed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      AdmissionInput input;
      try {
        byte[] body = readBody(exchange);
        JsonNode tree = mapper.readTree(body);
        input = AdmissionInput.parse(tree, mapper);
      } catch (MalformedReview e) {
        drain(exchange);
        badRequest(exchange, webhook, e.getMessage().startsWith("body larger")
            ? "oversized" : "malformed", e.getMessage());
        return;
      } catch (JsonProcessingException e) {
        badRequest(exchange, webhook, "malformed", "the body is not JSON: "
            + e.getOriginalMessage());
        return;
      }
      Verdict verdict = judge(webhook, input, judge);
      byte[] answer = mapper.writeValueAsBytes(AdmissionResponses.review(input.uid(), verdict));
      respond(exchange, 200, "application/json", answer);
      metrics.answered(webhook, input.operation(), input.kind(), verdict.decision(),
          Duration.ofNanos(System.nanoTime() - start));
      if (!verdict.allowed()) {
        LOG.atInfo().addKeyValue("object", input.displayName())
            .addKeyValue("operation", input.operation()).addKeyValue("uid", input.uid())
            .log("{} denied {} {}: {}", webhook, input.operation(), input.displayName(),
                verdict.message().lines().findFirst().orElse(""));
      }
    } catch (IOException e) {
      // the API server hung up (its own timeout): nothing left to answer
      metrics.error(webhook, "connection");
      LOG.debug("{}: connection lost: {}", webhook, e.getMessage());
    } catch (RuntimeException e) {
      // a bug outside judging (judging's own failures get the failure mode): a 500, logged,
      // and the API server applies the configuration's failurePolicy
      metrics.error(webhook, "internal");
      LOG.atWarn().setCause(e).log("{}: answering a review failed", webhook);
      try {
        respond(exchange, 500, "text/plain; charset=utf-8",
            "internal error\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // the response was under way already: the connection is closed with the exchange
      }
    }
  }

  /** The verdict, or the failure mode's when judging fails, overruns or cannot start. */
  private Verdict judge(String webhook, AdmissionInput input,
      Function<AdmissionInput, Verdict> judge) {
    String reason;
    String detail;
    Future<Verdict> future;
    try {
      future = judges.submit(() -> judge.apply(input));
    } catch (RejectedExecutionException e) {
      return failed(webhook, input, "overloaded", "every judge is busy");
    }
    try {
      return future.get(settings.timeBudget().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      reason = "timeout";
      detail = "judging took longer than " + settings.timeBudget().toMillis() + " ms";
    } catch (ExecutionException e) {
      reason = "internal";
      detail = String.valueOf(e.getCause());
      LOG.atWarn().setCause(e.getCause()).log("{}: judging {} failed", webhook,
          input.displayName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      reason = "internal";
      detail = "interrupted (shutting down)";
    }
    return failed(webhook, input, reason, detail);
  }

  private Verdict failed(String webhook, AdmissionInput input, String reason, String detail) {
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

  private byte[] readBody(HttpExchange exchange) throws IOException {
    int limit = settings.maxBodyBytes();
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        long declared = Long.parseLong(length.strip());
        if (declared < 0) {
          throw new MalformedReview("Content-Length is negative");
        }
        if (declared > limit) {
          throw new MalformedReview("body larger than " + limit + " bytes");
        }
      } catch (NumberFormatException e) {
        throw new MalformedReview("Content-Length is not a number");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(
          length == null ? 8192 : (int) Math.min(limit, Long.parseLong(length.strip())));
      byte[] buffer = new byte[16384];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (out.size() + read > limit) {
          throw new MalformedReview("body larger than " + limit + " bytes");
        }
        out.write(buffer, 0, read);
      }
      return out.toByteArray();
    }
  }

  /**
   * Reads what is left of a refused body, up to a bound, so that the client gets its 400 rather
   * than a reset connection while it is still sending; a body beyond the bound is cut off.
   */
  private void drain(HttpExchange exchange) {
    long left = 4L * settings.maxBodyBytes();
    byte[] buffer = new byte[16384];
    try {
      InputStream in = exchange.getRequestBody();
      int read;
      while (left > 0 && (read = in.read(buffer)) >= 0) {
        left -= read;
      }
    } catch (IOException e) {
      // the client is gone; the 400 that follows fails quietly
    }
  }

  private void badRequest(HttpExchange exchange, String webhook, String reason, String message)
      throws IOException {
    metrics.error(webhook, reason);
    LOG.info("{}: answered 400: {}", webhook, message);
    respond(exchange, 400, "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static ThreadPoolExecutor pool(String name, int threads,
      java.util.concurrent.BlockingQueue<Runnable> queue,
      java.util.concurrent.RejectedExecutionHandler rejection) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, queue, runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, rejection);
  }

  /** Stops accepting, lets the reviews in flight finish (up to their budget), then stops. */
  @Override
  public void close() {
    server.stop((int) Math.max(1, settings.timeBudget().toSeconds()));
    connections.shutdown();
    judges.shutdown();
    try {
      judges.awaitTermination(settings.timeBudget().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connections.shutdownNow();
    judges.shutdownNow();
  }
}
