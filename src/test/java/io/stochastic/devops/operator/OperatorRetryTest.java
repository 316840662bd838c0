package io.stochastic.devops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorRetryTest {
  @Test
  void backsOffFromOneSecondDoublingToSixteenThenEveryMinuteForever() {
    RetryExecution execution = new OperatorRetry().initExecution();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(execution.nextDelay().orElseThrow());
    }

    assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 60000L, 60000L,
        60000L);
    assertThat(execution.isLastAttempt()).isFalse();
    assertThat(execution.getAttemptCount()).isEqualTo(8);
  }
}
