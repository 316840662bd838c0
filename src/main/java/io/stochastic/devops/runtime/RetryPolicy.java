package io.stochastic.devops.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a component retries what failed for a reason that may pass (the batch auditor a push to
 * the Pushgateway: connection refused or reset, timeout, HTTP 5xx; the sync a fetch from a Git
 * server that is down): exponential backoff from {@code
 * initialBackoff}, doubling up to {@code maxBackoff}, at most {@code maxAttempts} attempts, and no
 * new attempt once {@code maxTotal} has passed since the first one began (so the worst case is
 * {@code maxTotal} plus one attempt's connect and read timeouts). An HTTP 4xx is never retried.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotal) {

  /** 5 attempts, 1 s, 2 s, 4 s, 8 s apart, within a minute: rides out a gateway restart. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofMinutes(1));

  /** One attempt. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxTotal, "maxTotal");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0
        || maxTotal.isNegative()) {
      throw new IllegalArgumentException(
          "backoffs must be 0 <= initialBackoff <= maxBackoff and maxTotal >= 0: " + this);
    }
  }

  /** The wait after the {@code failedAttempts}-th failed attempt (1-based). */
  public Duration backoff(int failedAttempts) {
    Duration backoff = initialBackoff;
    for (int i = 1; i < failedAttempts && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }

  /**
   * {@link #backoff(int)} spread at random over 50–100 % of itself ("equal jitter"), so that
   * replicas and clusters that failed together do not all retry at the same instant and knock
   * the recovering server over again.
   */
  public Duration backoffWithJitter(int failedAttempts, RandomGenerator random) {
    long millis = backoff(failedAttempts).toMillis();
    long half = millis / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}
