package io.stochastic.devops.operator;

import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.Optional;

/**
 * How a failed reconcile is retried: 1 s, doubling to 16 s, then every 60 s for as long as it
 * fails. JOSDK's {@code GenericRetry} caps the backoff at its maximum and gives up after a number
 * of attempts; a policy whose status cannot be written must keep being tried, just not often.
 */
public final class OperatorRetry implements Retry {
  public static final Duration INITIAL = Duration.ofSeconds(1);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(16);
  public static final Duration STEADY = Duration.ofSeconds(60);

  /** The wait after the {@code failures}-th failed attempt in a row (1-based). */
  public static Duration delayAfter(int failures) {
    Duration delay = INITIAL;
    for (int i = 1; i < failures; i++) {
      if (delay.compareTo(MAX_BACKOFF) >= 0) {
        return STEADY;
      }
      delay = delay.multipliedBy(2);
    }
    return delay;
  }

  @Override
  public RetryExecution initExecution() {
    return new RetryExecution() {
      private int attempts;

      @Override
      public Optional<Long> nextDelay() {
        attempts++;
        return Optional.of(delayAfter(attempts).toMillis());
      }

      @Override
      public int getAttemptCount() {
        return attempts;
      }

      @Override
      public boolean isLastAttempt() {
        return false;
      }
    };
  }
}
