package io.stochastic.devops.auditor;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PushgatewayPublisher} retries a push that failed for a reason that may pass
 * (connection refused or reset, timeout, HTTP 5xx): exponential backoff from {@code
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
}
