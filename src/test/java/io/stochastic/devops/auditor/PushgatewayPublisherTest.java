package io.stochastic.devops.auditor;

import io.stochastic.devops.runtime.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher's retry and error paths against a loopback stub (the real Pushgateway answers
 * 5xx on no request) and a closed port; what the real gateway stores is PushgatewayPublisherIT's.
 */
class PushgatewayPublisherTest {
  private static final RetryPolicy FAST =
      new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final FakeTime time = new FakeTime();
  private Stub stub;

  @AfterEach
  void stopStub() {
    if (stub != null) {
      stub.server.stop(0);
    }
  }

  static AuditRunSummary summary() {
    return AuditRunSummary.builder("prod-eu")
        .namespace("payments", "payments-policy", AuditRunSummaryTest.payments())
        .namespace("legacy", null, AuditRunSummaryTest.legacy())
        .resultsWritten(2, 0)
        .build(Duration.ofMillis(7_500), Instant.parse("2026-12-02T10:00:00.250Z"));
  }

  @Test
  void theRegistryHoldsOneSeriesPerSummaryValue() {
    String text = text(PushgatewayPublisher.registry(summary()));

    assertThat(text.lines().filter(l -> !l.startsWith("#"))).containsExactlyInAnyOrder(
        "kube_devops_auditor_check_violations{check=\"cpuLimitsMissing\",namespace=\"payments\",severity=\"high\"} 2.0",
        "kube_devops_auditor_check_violations{check=\"livenessProbeMissing\",namespace=\"payments\",severity=\"medium\"} 1.0",
        "kube_devops_auditor_check_violations{check=\"rbacWildcard\",namespace=\"payments\",severity=\"low\"} 1.0",
        "kube_devops_auditor_check_violations{check=\"tagNotSpecified\",namespace=\"legacy\",severity=\"critical\"} 1.0",
        "kube_devops_auditor_check_violations{check=\"tagNotSpecified\",namespace=\"payments\",severity=\"critical\"} 0.0",
        "kube_devops_auditor_cluster_score{cluster=\"prod-eu\"} 54.0",
        "kube_devops_auditor_exempt_workloads{namespace=\"legacy\"} 0.0",
        "kube_devops_auditor_exempt_workloads{namespace=\"payments\"} 1.0",
        "kube_devops_auditor_last_success_timestamp_seconds 1.79620560025E9",
        "kube_devops_auditor_namespace_score{namespace=\"legacy\",policy=\"none\"} 0.0",
        "kube_devops_auditor_namespace_score{namespace=\"payments\",policy=\"payments-policy\"} 67.0",
        "kube_devops_auditor_result_write_failures 0.0",
        "kube_devops_auditor_results_written 2.0",
        "kube_devops_auditor_run_duration_seconds 7.5",
        "kube_devops_auditor_violations{namespace=\"legacy\",severity=\"critical\"} 1.0",
        "kube_devops_auditor_violations{namespace=\"legacy\",severity=\"high\"} 0.0",
        "kube_devops_auditor_violations{namespace=\"legacy\",severity=\"low\"} 0.0",
        "kube_devops_auditor_violations{namespace=\"legacy\",severity=\"medium\"} 0.0",
        "kube_devops_auditor_violations{namespace=\"payments\",severity=\"critical\"} 0.0",
        "kube_devops_auditor_violations{namespace=\"payments\",severity=\"high\"} 2.0",
        "kube_devops_auditor_violations{namespace=\"payments\",severity=\"low\"} 1.0",
        "kube_devops_auditor_violations{namespace=\"payments\",severity=\"medium\"} 1.0",
        "kube_devops_auditor_workloads{namespace=\"legacy\"} 1.0",
        "kube_devops_auditor_workloads{namespace=\"payments\"} 2.0");
  }

  @Test
  void retries5xxWithExponentialBackoffUntilThePushIsAccepted() {
    stub = Stub.answering(503, 502, 200);

    publisher(stub.address(), FAST).publish(summary());

    assertThat(stub.requests).containsExactly(
        "PUT /metrics/job/kube-devops-auditor/cluster/prod-eu",
        "PUT /metrics/job/kube-devops-auditor/cluster/prod-eu",
        "PUT /metrics/job/kube-devops-auditor/cluster/prod-eu");
    assertThat(time.sleeps).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheGatewaysAnswer() {
    stub = Stub.answering(503, 503, 503);

    PushgatewayException e = catchThrowableOfType(PushgatewayException.class,
        () -> publisher(stub.address(), FAST).publish(summary()));

    assertThat(e).hasMessage("cannot push metrics to the Pushgateway at " + stub.address()
        + ": HTTP 503: down for maintenance (3 attempts in 30 ms)");
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.address()).isEqualTo(stub.address());
  }

  @Test
  void neverRetriesA4xx() {
    stub = Stub.answering(400);

    assertThatThrownBy(() -> publisher(stub.address(), FAST).publish(summary()))
        .isInstanceOf(PushgatewayException.class)
        .hasMessage("cannot push metrics to the Pushgateway at " + stub.address()
            + ": HTTP 400: bad push (not retried)");
    assertThat(stub.requests).hasSize(1);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void aGatewayThatIsDownIsRetriedThenReportedInOneLine() throws IOException {
    String address = "127.0.0.1:" + closedPort();
    RetryPolicy retry =
        new RetryPolicy(4, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMinutes(1));

    PushgatewayException e = catchThrowableOfType(PushgatewayException.class,
        () -> publisher(address, retry).publish(summary()));

    assertThat(e).hasMessage("cannot push metrics to the Pushgateway at " + address
        + ": connection refused (4 attempts in 70 ms)");
    assertThat(e.getMessage()).doesNotContain("Exception", "java.", "\n");
    assertThat(e.status()).isZero();
    assertThat(time.sleeps)
        .containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
  }

  @Test
  void noAttemptStartsOnceTheTotalTimeWouldBeExceeded() {
    stub = Stub.answering(500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
    RetryPolicy retry = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(4),
        Duration.ofSeconds(10));

    PushgatewayException e = catchThrowableOfType(PushgatewayException.class,
        () -> publisher(stub.address(), retry).publish(summary()));

    // 1 + 2 + 4 s slept (on the fake clock); another 4 s would end at 11 s.
    assertThat(time.sleeps).containsExactly(
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(e.attempts()).isEqualTo(4);
    assertThat(e).hasMessageEndingWith("(4 attempts in 7.0 s)");
  }

  @Test
  void anInterruptStopsTheRetriesAndIsKept() {
    stub = Stub.answering(503, 200);
    PushgatewayPublisher publisher = PushgatewayPublisher.builder(stub.address())
        .retry(FAST)
        .sleeper(d -> {
          throw new InterruptedException();
        })
        .build();

    try {
      assertThatThrownBy(() -> publisher.publish(summary()))
          .isInstanceOf(PushgatewayException.class)
          .hasMessage("interrupted while waiting to retry the push to the Pushgateway at "
              + stub.address() + " (last failure: HTTP 503: down for maintenance)");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void acceptsAnHttpUrlAndPushesTextWhenAsked() {
    stub = Stub.answering(200);

    PushgatewayPublisher.builder("http://" + stub.address() + "/")
        .format(Format.PROMETHEUS_TEXT)
        .build()
        .publish(summary());

    assertThat(stub.requests).containsExactly(
        "PUT /metrics/job/kube-devops-auditor/cluster/prod-eu");
    assertThat(stub.bodies.get(0))
        .contains("kube_devops_auditor_cluster_score{cluster=\"prod-eu\"} 54");
  }

  @Test
  void rejectsAnAddressItCannotUse() {
    for (String address : List.of("", "ftp://gateway:21", "gateway:9091?x=1", "http://")) {
      assertThatThrownBy(() -> PushgatewayPublisher.builder(address).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid Pushgateway address '" + address + "'");
    }
    assertThatThrownBy(() -> PushgatewayPublisher.builder("http://u:secret@gateway:9091").build())
        .hasMessage("invalid Pushgateway address: credentials in the address are not supported");
  }

  @Test
  void backoffDoublesUpToItsCap() {
    assertThat(List.of(1, 2, 3, 4, 5, 6, 40).stream().map(RetryPolicy.DEFAULT::backoff))
        .extracting(Duration::toSeconds)
        .containsExactly(1L, 2L, 4L, 8L, 16L, 16L, 16L);
  }

  private PushgatewayPublisher publisher(String address, RetryPolicy retry) {
    return PushgatewayPublisher.builder(address)
        .retry(retry)
        .sleeper(time::sleep)
        .clock(time)
        .build();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String text(io.prometheus.metrics.model.registry.PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create()
          .write(out, registry.scrape(), EscapingScheme.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A clock that only moves when the publisher sleeps. */
  private static final class FakeTime extends Clock {
    final List<Duration> sleeps = new ArrayList<>();
    private Instant now = Instant.parse("2026-12-02T10:00:00Z");

    void sleep(Duration duration) {
      sleeps.add(duration);
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** Answers each request with the next status of its list (and a short body). */
  private static final class Stub {
    final HttpServer server;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

    private Stub(HttpServer server) {
      this.server = server;
    }

    static Stub answering(int... statuses) {
      Deque<Integer> answers = new ArrayDeque<>();
      for (int status : statuses) {
        answers.add(status);
      }
      try {
        HttpServer server =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Stub stub = new Stub(server);
        server.createContext("/", exchange -> {
          stub.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          stub.bodies.add(new String(exchange.getRequestBody().readAllBytes(),
              StandardCharsets.UTF_8));
          int status = answers.isEmpty() ? 500 : answers.poll();
          String text = status >= 500 ? "down for maintenance\n" : status >= 400 ? "bad push" : "";
          byte[] body = text.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
        server.start();
        return stub;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }
  }
}
