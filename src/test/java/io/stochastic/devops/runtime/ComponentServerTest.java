package io.stochastic.devops.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP requests to the component server on an ephemeral port. */
class ComponentServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Readiness readiness = new Readiness();
  private ComponentServer server;

  @BeforeEach
  void start() {
    server = ComponentServer.start(0, registry, readiness);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzAnswersOkOnAnEphemeralPort() throws Exception {
    assertThat(server.port()).isPositive();
    HttpResponse<String> response = get("/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void readyzListsEveryReasonUntilEachPartIsReadyAgain() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(200);

    readiness.notReady("git", "last fetch failed 3 times");
    readiness.notReady("cluster", "prod: connection refused");
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body())
        .isEqualTo("cluster: prod: connection refused\ngit: last fetch failed 3 times\n");
    assertThat(get("/healthz").statusCode()).as("liveness is not readiness").isEqualTo(200);

    readiness.ready("cluster");
    assertThat(get("/readyz").body()).isEqualTo("git: last fetch failed 3 times\n");
    readiness.ready("git");
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void readyzSaysLeaderOrFollowerWhileBothStayReady() throws Exception {
    readiness.role(() -> Readiness.roleLine("op-a", true, "op-a"));
    HttpResponse<String> leader = get("/readyz");
    assertThat(leader.statusCode()).isEqualTo(200);
    assertThat(leader.body()).isEqualTo("ok\nleader: op-a\n");

    readiness.role(() -> Readiness.roleLine("op-b", false, "op-a"));
    HttpResponse<String> follower = get("/readyz");
    assertThat(follower.statusCode()).as("a follower does not block a rollout").isEqualTo(200);
    assertThat(follower.body()).isEqualTo("ok\nfollower: waiting for the lead (held by op-a)\n");

    readiness.role(() -> Readiness.roleLine("op-b", false, null));
    readiness.notReady("informers", "starting");
    HttpResponse<String> starting = get("/readyz");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.body())
        .isEqualTo("informers: starting\nfollower: waiting for the lead (held by nobody yet)\n");
  }

  @Test
  void metricsServesTheRegistryInTextFormat() throws Exception {
    Counter.builder().name("kube_devops_test_rounds_total").help("rounds").register(registry)
        .inc(3);
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("kube_devops_test_rounds_total 3.0");
  }

  @Test
  void anyOtherPathIsNotFoundAndNamesTheRealOnes() throws Exception {
    HttpResponse<String> response = get("/status");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("/healthz", "/readyz", "/metrics");
    assertThat(get("/-/healthy").statusCode()).as("client_java's own health path is off")
        .isEqualTo(404);
  }
}
