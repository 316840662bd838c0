package io.stochastic.devops.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.KubeAccessException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which failures are retried, how long between attempts, and what the user reads in the end. */
class WriteRetryTest {
  private static final String WHAT = "writing PolicyAuditResult shop/p-20261122-100000";

  private final List<Duration> slept = new ArrayList<>();
  private final WriteRetry retry =
      new WriteRetry(5, Duration.ofMillis(100), Duration.ofMillis(500), slept::add);

  @Test
  void aConflictIsRetriedUntilItGoesAway() {
    Supplier<String> call = failing(2, status(409, "Conflict", "the object has been modified"));

    assertThat(retry.call(WHAT, call)).isEqualTo("done");
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetried() {
    for (int code : new int[] {500, 502, 503, 504, 429}) {
      slept.clear();
      assertThat(retry.call(WHAT, failing(1, status(code, "ServiceUnavailable", "busy"))))
          .as("code " + code).isEqualTo("done");
      assertThat(slept).hasSize(1);
    }
  }

  @Test
  void aConnectionFailureIsRetried() {
    assertThat(retry.call(WHAT, failing(3, connectionRefused()))).isEqualTo("done");
    assertThat(slept).hasSize(3);
  }

  @Test
  void backoffDoublesUpToTheMaximumAndGivesUpAfterTheLastAttempt() {
    assertThatThrownBy(() -> retry.call(WHAT, failing(99, status(503, "ServiceUnavailable",
        "etcdserver: leader changed"))))
        .isInstanceOfSatisfying(ClusterRequestException.class, e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.getMessage()).isEqualTo(WHAT
              + ": etcdserver: leader changed (503) (gave up after 5 attempts)");
        });
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(400), Duration.ofMillis(500));
  }

  @Test
  void forbiddenFailsAtOnceWithOneLineNamingTheObject() {
    AtomicInteger calls = new AtomicInteger();
    KubernetesClientException forbidden = status(403, "Forbidden",
        "policyauditresults.devops.stochastic.io is forbidden: User \"mallory\" cannot create"
            + " resource \"policyauditresults\" in API group \"devops.stochastic.io\" in the"
            + " namespace \"shop\"");

    assertThatThrownBy(() -> retry.call(WHAT, () -> {
      calls.incrementAndGet();
      throw forbidden;
    })).isInstanceOfSatisfying(ClusterRequestException.class, e -> {
      assertThat(e.code()).isEqualTo(403);
      assertThat(e.getMessage()).isEqualTo(WHAT + ": policyauditresults.devops.stochastic.io is"
          + " forbidden: User \"mallory\" cannot create resource \"policyauditresults\" in API"
          + " group \"devops.stochastic.io\" in the namespace \"shop\" (403)");
    });
    assertThat(calls).hasValue(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void invalidAndNotFoundAreNotRetried() {
    for (int code : new int[] {400, 404, 422}) {
      AtomicInteger calls = new AtomicInteger();
      assertThatThrownBy(() -> retry.call(WHAT, () -> {
        calls.incrementAndGet();
        throw status(code, "Invalid", "line one\nline two");
      })).hasMessage(WHAT + ": line one (" + code + ")");
      assertThat(calls).as("code " + code).hasValue(1);
    }
  }

  @Test
  void alreadyExistsIsNotRetried() {
    KubernetesClientException exists = status(409, "AlreadyExists", "already exists");
    assertThat(WriteRetry.retriable(exists)).isFalse();
    assertThat(WriteRetry.alreadyExists(exists)).isTrue();
  }

  @Test
  void aResourceTypeTheClusterDoesNotServeIsNamedSo() {
    assertThatThrownBy(() -> retry.call("writing PolicyReport shop/kube-devops-shop", () -> {
      throw status(404, "NotFound", "the server could not find the requested resource");
    })).hasMessage("writing PolicyReport shop/kube-devops-shop: the cluster does not serve this"
        + " resource type: is its CRD installed? (404)");
  }

  @Test
  void anUnreachableClusterIsOneLineWithoutClassNames() {
    assertThatThrownBy(() -> retry.call(WHAT, failing(99, connectionRefused())))
        .isExactlyInstanceOf(KubeAccessException.class)
        .hasMessage(WHAT + ": cannot reach the cluster: connection refused"
            + " (gave up after 5 attempts)");
  }

  @Test
  void anInterruptedWaitStopsRetrying() {
    WriteRetry interrupted = retry.withSleeper(d -> {
      throw new InterruptedException();
    });
    try {
      assertThatThrownBy(() -> interrupted.call(WHAT, failing(1, connectionRefused())))
          .hasMessage(WHAT + ": interrupted while waiting to retry");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void oneAttemptMeansNoRetry() {
    WriteRetry once = new WriteRetry(1, Duration.ZERO, Duration.ZERO, slept::add);
    assertThatThrownBy(() -> once.call(WHAT, failing(1, status(500, "InternalError", "boom"))))
        .hasMessage(WHAT + ": boom (500) (gave up after 1 attempt)");
    assertThat(slept).isEmpty();
  }

  private static Supplier<String> failing(int times, KubernetesClientException e) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      if (calls.incrementAndGet() <= times) {
        throw e;
      }
      return "done";
    };
  }

  static KubernetesClientException status(int code, String reason, String message) {
    Status status = new StatusBuilder().withCode(code).withReason(reason).withMessage(message)
        .build();
    return new KubernetesClientException(status);
  }

  private static KubernetesClientException connectionRefused() {
    return new KubernetesClientException("An error has occurred.", new ConnectException());
  }
}
