package io.stochastic.devops.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(2),
      Duration.ofSeconds(60), Duration.ofMinutes(10));

  @Test
  void backoffDoublesUpToTheMaximum() {
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoff(9)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitterSpreadsEachWaitOverItsUpperHalf() {
    SplittableRandom random = new SplittableRandom(42);
    for (int attempt = 1; attempt <= 8; attempt++) {
      Duration full = policy.backoff(attempt);
      for (int i = 0; i < 50; i++) {
        assertThat(policy.backoffWithJitter(attempt, random))
            .isBetween(full.dividedBy(2), full);
      }
    }
    assertThat(java.util.stream.IntStream.range(0, 50)
        .mapToObj(i -> policy.backoffWithJitter(4, random)).distinct().count())
        .as("spread, not one value").isGreaterThan(10);
  }
}
