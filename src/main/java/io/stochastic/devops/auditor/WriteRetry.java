package io.stochastic.devops.auditor;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.stochastic.devops.kube.ClusterFailure;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.KubeAccessException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Bounded exponential backoff for the auditor's writes, and the translation of what finally went
 * wrong into one line naming the object.
 *
 * <p>Retried: a conflict (409, except {@code AlreadyExists}, which the writers handle
 * themselves), too many requests (429), server errors (5xx), timeouts and connection failures.
 * Not retried: everything else (403 forbidden, 404 not found, 422 invalid...), which fails at
 * once with a {@link ClusterRequestException}. When the attempts run out, a
 * {@link ClusterRequestException} (the server answered) or a {@link KubeAccessException} (it did
 * not) says how many attempts were made. Messages are one line, carry the API server's own
 * message, and never a stack trace or a Java class name.
 *
 * <p>The fabric8 client retries 429, 5xx and connection failures itself too
 * ({@code requestRetryBackoffLimit}, 10 by default): the worst case is the product of both, so
 * the component that builds the auditor's client should keep that limit small.
 */
public final class WriteRetry {
  /** Waits between attempts; tests inject one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(250);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(8);

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;

  /**
   * @param maxAttempts attempts in all, at least 1 (1: no retry)
   * @param initialDelay the wait after the first failure; it doubles after each further one
   * @param maxDelay the longest single wait
   */
  public WriteRetry(int maxAttempts, Duration initialDelay, Duration maxDelay, Sleeper sleeper) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
    }
    this.maxAttempts = maxAttempts;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** 5 attempts, waiting 0.25 s, 0.5 s, 1 s, 2 s between them (at most 8 s each). */
  public static WriteRetry defaults() {
    return new WriteRetry(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY,
        d -> Thread.sleep(d.toMillis()));
  }

  /** The same bounds with another sleeper. */
  public WriteRetry withSleeper(Sleeper other) {
    return new WriteRetry(maxAttempts, initialDelay, maxDelay, other);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  Duration delayAfter(int attempt) {
    Duration delay = initialDelay;
    for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }

  /**
   * Makes {@code request}, again after a transient failure. {@code what} names the request and
   * its object for the error message ({@code "writing PolicyAuditResult shop/shop-20261122-100000"}).
   */
  public <T> T call(String what, Supplier<T> request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return request.get();
      } catch (KubernetesClientException e) {
        if (!retriable(e)) {
          throw translate(what, e, "");
        }
        if (attempt >= maxAttempts) {
          throw translate(what, e,
              " (gave up after " + attempt + (attempt == 1 ? " attempt)" : " attempts)"));
        }
        try {
          sleeper.sleep(delayAfter(attempt));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new KubeAccessException(what + ": interrupted while waiting to retry", e);
        }
      }
    }
  }

  /** Whether a failure may go away by itself. */
  static boolean retriable(KubernetesClientException e) {
    if (e instanceof KubernetesClientTimeoutException || ClusterFailure.noAnswer(e)) {
      return true;
    }
    int code = e.getCode();
    if (code == 409) {
      return !alreadyExists(e);
    }
    return code == 429 || code >= 500;
  }

  /** A 409 because an object of that name exists (not a stale resourceVersion). */
  static boolean alreadyExists(KubernetesClientException e) {
    Status status = e.getStatus();
    return e.getCode() == 409 && status != null && "AlreadyExists".equals(status.getReason());
  }

  static KubeAccessException translate(String what, KubernetesClientException e, String suffix) {
    if (e instanceof KubernetesClientTimeoutException) {
      return new KubeAccessException(what + ": timed out" + suffix, e);
    }
    if (ClusterFailure.noAnswer(e)) {
      return new KubeAccessException(what + ": cannot reach the cluster: "
          + ClusterFailure.connectionProblem(e)
          + suffix, e);
    }
    int code = e.getCode();
    String message = ClusterFailure.statusMessage(e);
    if (code == 404 && ClusterFailure.notServed(message)) {
      message = "the cluster does not serve this resource type: is its CRD installed?";
    }
    return new ClusterRequestException(what + ": " + message + " (" + code + ")" + suffix, code, e);
  }
}
