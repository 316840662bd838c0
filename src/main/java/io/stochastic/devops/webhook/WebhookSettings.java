package io.stochastic.devops.webhook;

import java.time.Duration;

/**
 * How {@code webhook serve} serves.
 *
 * @param bindAddress the address to listen on (all interfaces by default)
 * @param port the HTTPS port (8443 by default; 0: any free port, for tests)
 * @param maxBodyBytes larger reviews are answered 400: the API server's own request limit is
 *     3 MiB, so a review above it is not one the API server sent
 * @param concurrency reviews judged at once; judging is CPU-bound, so more than the cores only
 *     queues
 * @param queue reviews waiting for a judge; beyond it a review is answered by the failure mode
 *     (overloaded) rather than held until the API server gives up on it
 * @param timeBudget how long a review may take before it is answered by the failure mode; below
 *     the configuration's timeoutSeconds (5), so the API server gets our answer, not a timeout
 * @param failClosed answer an internal error or an exceeded budget with a denial instead of an
 *     admission
 * @param maxConnections connections open at once; one beyond it is closed at once, so that the
 *     API server applies its failurePolicy rather than waiting for its timeout
 * @param bufferedBodyBytes request bodies held in memory at once, over all connections; a review
 *     that would exceed it is answered 503 (the API server then applies the failurePolicy), so
 *     many large bodies at once cannot exhaust the heap
 * @param idleTimeout a kept-alive connection idle this long is closed; longer than the API
 *     server's own idle timeout (90 s), so that the client, not the server, closes an idle
 *     connection and never sends a review on one the server is closing
 */
public record WebhookSettings(String bindAddress, int port, int maxBodyBytes, int concurrency,
    int queue, Duration timeBudget, boolean failClosed, int maxConnections,
    long bufferedBodyBytes, Duration idleTimeout) {
  public static final int DEFAULT_PORT = 8443;
  public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final long DEFAULT_BUFFERED_BODY_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

  public WebhookSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, not " + port);
    }
    if (concurrency < 1 || queue < 0 || maxBodyBytes < 1 || maxConnections < 1
        || bufferedBodyBytes < maxBodyBytes) {
      throw new IllegalArgumentException("concurrency, queue, connection and body limits must be"
          + " positive, and the buffered bytes at least one body");
    }
  }

  public static WebhookSettings defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new WebhookSettings("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES,
        Math.max(2, cores), 256, DEFAULT_TIME_BUDGET, false, DEFAULT_MAX_CONNECTIONS,
        DEFAULT_BUFFERED_BODY_BYTES, DEFAULT_IDLE_TIMEOUT);
  }

  public WebhookSettings withPort(int newPort) {
    return new WebhookSettings(bindAddress, newPort, maxBodyBytes, concurrency, queue, timeBudget,
        failClosed, maxConnections, bufferedBodyBytes, idleTimeout);
  }

  public WebhookSettings withBindAddress(String address) {
    return new WebhookSettings(address, port, maxBodyBytes, concurrency, queue, timeBudget,
        failClosed, maxConnections, bufferedBodyBytes, idleTimeout);
  }

  public WebhookSettings withFailClosed(boolean closed) {
    return new WebhookSettings(bindAddress, port, maxBodyBytes, concurrency, queue, timeBudget,
        closed, maxConnections, bufferedBodyBytes, idleTimeout);
  }

  public WebhookSettings withTimeBudget(Duration budget) {
    return new WebhookSettings(bindAddress, port, maxBodyBytes, concurrency, queue, budget,
        failClosed, maxConnections, bufferedBodyBytes, idleTimeout);
  }

  public WebhookSettings withLimits(int bodyBytes, int judges, int waiting) {
    return new WebhookSettings(bindAddress, port, bodyBytes, judges, waiting, timeBudget,
        failClosed, maxConnections, Math.max(bodyBytes, bufferedBodyBytes), idleTimeout);
  }

  public WebhookSettings withConnectionLimits(int connections, long bufferedBytes,
      Duration idle) {
    return new WebhookSettings(bindAddress, port, maxBodyBytes, concurrency, queue, timeBudget,
        failClosed, connections, bufferedBytes, idle);
  }
}
