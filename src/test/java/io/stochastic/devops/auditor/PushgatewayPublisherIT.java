package io.stochastic.devops.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingPromtool;
import io.stochastic.devops.testing.TestingPushgateway;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the real Pushgateway holds after the publisher pushed, read back from its /metrics. */
@IntegrationTest
class PushgatewayPublisherIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final String PROD = "cluster=\"prod-eu\",instance=\"\",job=\"kube-devops-auditor\"";

  /** The series of {@link PushgatewayPublisherTest#summary()} as the gateway exposes them. */
  private static final List<String> PAYMENTS = List.of(
      "kube_devops_auditor_check_violations{check=\"cpuLimitsMissing\"," + PROD + ",namespace=\"payments\",severity=\"high\"} 2",
      "kube_devops_auditor_check_violations{check=\"livenessProbeMissing\"," + PROD + ",namespace=\"payments\",severity=\"medium\"} 1",
      "kube_devops_auditor_check_violations{check=\"rbacWildcard\"," + PROD + ",namespace=\"payments\",severity=\"low\"} 1",
      "kube_devops_auditor_check_violations{check=\"tagNotSpecified\"," + PROD + ",namespace=\"payments\",severity=\"critical\"} 0",
      "kube_devops_auditor_exempt_workloads{" + PROD + ",namespace=\"payments\"} 1",
      "kube_devops_auditor_namespace_score{" + PROD + ",namespace=\"payments\",policy=\"payments-policy\"} 67",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"payments\",severity=\"critical\"} 0",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"payments\",severity=\"high\"} 2",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"payments\",severity=\"low\"} 1",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"payments\",severity=\"medium\"} 1",
      "kube_devops_auditor_workloads{" + PROD + ",namespace=\"payments\"} 2");
  private static final List<String> LEGACY = List.of(
      "kube_devops_auditor_check_violations{check=\"tagNotSpecified\"," + PROD + ",namespace=\"legacy\",severity=\"critical\"} 1",
      "kube_devops_auditor_exempt_workloads{" + PROD + ",namespace=\"legacy\"} 0",
      "kube_devops_auditor_namespace_score{" + PROD + ",namespace=\"legacy\",policy=\"none\"} 0",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"legacy\",severity=\"critical\"} 1",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"legacy\",severity=\"high\"} 0",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"legacy\",severity=\"low\"} 0",
      "kube_devops_auditor_violations{" + PROD + ",namespace=\"legacy\",severity=\"medium\"} 0",
      "kube_devops_auditor_workloads{" + PROD + ",namespace=\"legacy\"} 1");

  /**
   * Debian's pushgateway persists to /var/lib/prometheus/pushgateway.data unless told otherwise,
   * so a gateway may start with the groups the last one on this machine held, and would hand
   * ours to the next. Every test starts from, and leaves, an empty gateway.
   */
  @BeforeEach
  @AfterEach
  void deleteEveryGroup(TestingPushgateway gateway) throws Exception {
    JsonNode groups = new ObjectMapper().readTree(
        send(gateway, HttpRequest.newBuilder(gateway.uri().resolve("/api/v1/metrics"))).body());
    for (JsonNode group : groups.path("data")) {
      StringBuilder path = new StringBuilder("/metrics/job@base64/")
          .append(base64(group.path("labels").path("job").asText()));
      group.path("labels").fields().forEachRemaining(label -> {
        if (!label.getKey().equals("job")) {
          path.append('/').append(label.getKey()).append("@base64/")
              .append(base64(label.getValue().asText()));
        }
      });
      send(gateway, HttpRequest.newBuilder(gateway.uri().resolve(path.toString())).DELETE());
    }
    assertThat(gateway.metrics()).doesNotContain("job=\"");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void theGatewayHoldsEverySeriesUnderJobAndCluster(Format format, TestingPushgateway gateway) {
    PushgatewayPublisher.builder(gateway.address()).format(format).build()
        .publish(PushgatewayPublisherTest.summary());

    assertThat(series(gateway, "kube_devops_auditor_")).containsExactlyInAnyOrderElementsOf(
        concat(PAYMENTS, LEGACY, List.of(
            "kube_devops_auditor_cluster_score{" + PROD + "} 54",
            "kube_devops_auditor_last_success_timestamp_seconds{" + PROD + "} 1.79620560025e+09",
            "kube_devops_auditor_result_write_failures{" + PROD + "} 0",
            "kube_devops_auditor_results_written{" + PROD + "} 2",
            "kube_devops_auditor_run_duration_seconds{" + PROD + "} 7.5")));
  }

  @Test
  void aNamespaceMissingFromTheNextRunLosesItsSeriesAndOtherClustersKeepTheirs(
      TestingPushgateway gateway) {
    PushgatewayPublisher publisher = PushgatewayPublisher.builder(gateway.address()).build();
    publisher.publish(AuditRunSummary.builder("staging")
        .namespace("legacy", null, AuditRunSummaryTest.legacy())
        .build(Duration.ofSeconds(1), Instant.parse("2026-12-02T09:00:00Z")));
    publisher.publish(PushgatewayPublisherTest.summary());
    assertThat(series(gateway, "kube_devops_auditor_workloads{"))
        .anyMatch(l -> l.contains("cluster=\"prod-eu\"") && l.contains("namespace=\"legacy\""));

    publisher.publish(AuditRunSummary.builder("prod-eu")
        .namespace("payments", "payments-policy", AuditRunSummaryTest.payments())
        .resultsWritten(1, 1)
        .build(Duration.ofSeconds(3), Instant.parse("2026-12-02T11:00:00Z")));

    List<String> prod = series(gateway, "kube_devops_auditor_").stream()
        .filter(l -> l.contains(PROD)).toList();
    assertThat(prod).containsAll(PAYMENTS).doesNotContainAnyElementsOf(LEGACY)
        .contains("kube_devops_auditor_cluster_score{" + PROD + "} 67",
            "kube_devops_auditor_result_write_failures{" + PROD + "} 1",
            "kube_devops_auditor_last_success_timestamp_seconds{" + PROD + "} 1.7962092e+09")
        .hasSize(PAYMENTS.size() + 5);
    assertThat(series(gateway, "kube_devops_auditor_namespace_score{")).contains(
        "kube_devops_auditor_namespace_score{cluster=\"staging\",instance=\"\","
            + "job=\"kube-devops-auditor\",namespace=\"legacy\",policy=\"none\"} 0");
  }

  @Test
  void aPushTheGatewayRejectsIsNotRetried(TestingPushgateway gateway) throws Exception {
    // Another job declared the run duration a counter: the gateway refuses our gauge (400).
    put(gateway, "/metrics/job/other", """
        # TYPE kube_devops_auditor_run_duration_seconds counter
        kube_devops_auditor_run_duration_seconds 1
        """);
    List<Duration> sleeps = new ArrayList<>();
    PushgatewayPublisher publisher = PushgatewayPublisher.builder(gateway.address())
        .sleeper(sleeps::add)
        .build();

    PushgatewayException e = catchThrowableOfType(PushgatewayException.class,
        () -> publisher.publish(PushgatewayPublisherTest.summary()));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
    assertThat(e).hasMessageStartingWith("cannot push metrics to the Pushgateway at "
            + gateway.address() + ": HTTP 400: pushed metrics are invalid or inconsistent")
        .hasMessageEndingWith("(not retried)");
    assertThat(e.getMessage()).doesNotContain("\n");
  }

  @Test
  void promtoolFindsNoProblemInOurSeries(TestingPushgateway gateway) throws Exception {
    PushgatewayPublisher.builder(gateway.address()).build()
        .publish(PushgatewayPublisherTest.summary());
    String ours = gateway.metrics().lines()
        .filter(l -> l.startsWith("kube_devops_")
            || l.startsWith("# HELP kube_devops_") || l.startsWith("# TYPE kube_devops_"))
        .reduce("", (text, line) -> text + line + "\n");
    assertThat(ours).contains("# HELP kube_devops_auditor_cluster_score ");

    assertThat(TestingPromtool.checkMetrics(ours)).as("promtool check metrics").isEmpty();
  }

  /** The gateway's sample lines that start with {@code prefix}. */
  private static List<String> series(TestingPushgateway gateway, String prefix) {
    return gateway.metrics().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return Stream.of(lists).flatMap(List::stream).toList();
  }

  private static void put(TestingPushgateway gateway, String path, String body)
      throws IOException, InterruptedException {
    send(gateway, HttpRequest.newBuilder(gateway.uri().resolve(path))
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "text/plain; version=0.0.4"));
  }

  private static HttpResponse<String> send(TestingPushgateway gateway, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return response;
  }

  /** A grouping-key value as the gateway's URL takes it ({@code =} for the empty value). */
  private static String base64(String value) {
    return value.isEmpty()
        ? "="
        : Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
