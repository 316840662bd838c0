package io.stochastic.devops.webhook;

import static io.stochastic.devops.webhook.AdmissionFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.metrics.WebhookMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over real HTTPS on loopback: real TLS handshakes with generated certificates. */
class WebhookServerTest {
  @TempDir
  Path certs;

  private CertificateAuthority ca;
  private ServingCertificate serving;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final WebhookMetrics metrics = new WebhookMetrics(registry);
  private WebhookServer server;
  private HttpClient client;

  @BeforeEach
  void certificates() throws Exception {
    ca = TlsFixtures.writeLoopbackCertificates(certs);
    serving = new ServingCertificate(certs.resolve("tls.crt"), certs.resolve("tls.key"),
        Clock.systemUTC(), metrics::certificateReloaded);
    client = TlsFixtures.client(ca.certificate());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(WebhookSettings settings, AdmissionReviewer reviewer) {
    server = WebhookServer.start(settings.withBindAddress("127.0.0.1").withPort(0), reviewer,
        serving.sslContext(), metrics);
  }

  private void start(WebhookSettings settings, Function<AdmissionInput, Verdict> judge) {
    server = WebhookServer.start(settings.withBindAddress("127.0.0.1").withPort(0), judge, judge,
        serving.sslContext(), metrics);
  }

  private HttpResponse<String> post(String path, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode review(String path, JsonNode review) throws Exception {
    HttpResponse<String> response = post(path, JSON.writeValueAsBytes(review));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    // the JDK's client asks for HTTP/2 as the API server does; raw-socket tests speak HTTP/1.1
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.path("response").path("uid").asText())
        .isEqualTo(review.path("request").path("uid").asText());
    return answer.path("response");
  }

  @Test
  void everyWebhookCaseOverHttpsUnderBaselineInEnforceMode() throws Exception {
    start(WebhookSettings.defaults(), AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    List<Path> cases;
    try (Stream<Path> files = Files.list(AdmissionFixtures.WEBHOOK_CASES)) {
      cases = files.filter(p -> p.getFileName().toString().endsWith("_test."
          + p.getFileName().toString().replaceFirst("^[a-z]+_test\\.", ""))).sorted().toList();
    }
    assertThat(cases).hasSize(25);
    for (Path file : cases) {
      String name = file.getFileName().toString();
      boolean anyDenied = false;
      for (JsonNode document : AdmissionFixtures.documents(file)) {
        JsonNode response = review(WebhookServer.VALIDATE,
            AdmissionFixtures.review("CREATE", "shop", document, null));
        anyDenied |= !response.path("allowed").asBoolean();
      }
      if (name.startsWith("failing_")) {
        assertThat(anyDenied).as(name).isTrue();
      } else {
        assertThat(anyDenied).as(name).isFalse();
      }
    }
  }

  @Test
  void malformedOversizedAndWrongMethodsAreCleanErrors() throws Exception {
    start(WebhookSettings.defaults().withLimits(64 * 1024, 2, 4),
        AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    HttpResponse<String> notJson = post(WebhookServer.VALIDATE, "{not json".getBytes());
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("the body is not JSON");
    HttpResponse<String> noRequest = post(WebhookServer.VALIDATE,
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}".getBytes());
    assertThat(noRequest.statusCode()).isEqualTo(400);
    assertThat(noRequest.body()).contains("no request");
    HttpResponse<String> oversized = post(WebhookServer.MUTATE, new byte[100 * 1024]);
    assertThat(oversized.statusCode()).isEqualTo(400);
    assertThat(oversized.body()).contains("larger than 65536 bytes");
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + server.port() + WebhookServer.VALIDATE)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    // and the server still serves
    assertThat(review(WebhookServer.VALIDATE, AdmissionFixtures.review("CREATE", "shop",
        AdmissionFixtures.yaml(AdmissionFixtures.WEBHOOK_CASES.resolve("failing_test.pod.yaml")),
        null)).path("allowed").asBoolean()).isFalse();
    assertThat(registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName()
        .equals("kube_devops_webhook_errors"))).isNotEmpty();
  }

  @Test
  void aReviewOverItsBudgetIsAdmittedWithAWarningByDefault() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    start(WebhookSettings.defaults().withTimeBudget(Duration.ofMillis(200)), input -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Verdict.allowed(List.of());
    });
    JsonNode response = review(WebhookServer.VALIDATE, AdmissionFixtures.review("CREATE", "shop",
        AdmissionFixtures.yaml(AdmissionFixtures.WEBHOOK_CASES.resolve("failing_test.pod.yaml")),
        null));
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings").get(0).asText())
        .contains("could not judge Pod/shop/nginx-2 (judging took longer than 200 ms)")
        .endsWith("admitted without review (fail-open)");
    assertThat(registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName()
        .equals("kube_devops_webhook_fail_opens"))).isNotEmpty();
  }

  @Test
  void anInternalErrorIsDeniedWhenFailClosed() throws Exception {
    start(WebhookSettings.defaults().withFailClosed(true), input -> {
      throw new IllegalStateException("boom");
    });
    JsonNode response = review(WebhookServer.MUTATE, AdmissionFixtures.review("CREATE", "shop",
        AdmissionFixtures.yaml(AdmissionFixtures.WEBHOOK_CASES.resolve("failing_test.pod.yaml")),
        null));
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("boom").endsWith("denied (fail-closed)");
  }

  @Test
  void onlyTls12AndAboveAreSpoken() throws Exception {
    start(WebhookSettings.defaults(), AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    SSLContext context = TlsFixtures.trusting(ca.certificate());
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.1"});
      socket.setSSLParameters(parameters);
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void aCertificateRotatedOnDiskIsServedWithoutRestart() throws Exception {
    start(WebhookSettings.defaults(), AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    X509Certificate before = served(ca.certificate());
    // a new CA and certificate, as cert-manager would write into the mounted Secret
    Path next = Files.createDirectories(certs.resolve("next"));
    CertificateAuthority rotated = TlsFixtures.writeLoopbackCertificates(next);
    FileTime later = FileTime.from(Instant.now().plusSeconds(5));
    for (String file : List.of("tls.crt", "tls.key")) {
      Files.copy(next.resolve(file), certs.resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(certs.resolve(file), later);
    }
    X509Certificate expected = ServingCertificate.readChain(next.resolve("tls.crt"))[0];
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(served(ca.certificate(), rotated.certificate())).isEqualTo(expected));
    assertThat(before).isNotEqualTo(expected);
    // clients that trust only the new CA are served
    HttpClient fresh = TlsFixtures.client(rotated.certificate());
    HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.port() + WebhookServer.VALIDATE))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void aConnectionBeyondTheLimitIsClosedAtOnce() throws Exception {
    start(WebhookSettings.defaults().withConnectionLimits(2, 64L << 20, Duration.ofMinutes(2)),
        AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    SSLSocket first = handshaken();
    SSLSocket second = handshaken();
    await().until(() -> server.openConnections() == 2);
    SSLSocket third = (SSLSocket) TlsFixtures.trusting(ca.certificate()).getSocketFactory()
        .createSocket("127.0.0.1", server.port());
    third.setSoTimeout(10_000);
    // closed before its handshake: the client knows at once instead of at its timeout
    assertThatThrownBy(third::startHandshake).isInstanceOf(java.io.IOException.class);
    assertThat(registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName()
            .equals("kube_devops_webhook_errors"))
        .flatMap(s -> s.getDataPoints().stream())
        .map(point -> point.getLabels().get("reason"))).contains("connections");
    first.close();
    await().until(() -> server.openConnections() < 2);
    try (SSLSocket fourth = handshaken()) {
      assertThat(exchange(fourth, request(WebhookServer.VALIDATE, podReview("u-4"))))
          .contains("\"uid\":\"u-4\"");
    }
    second.close();
    third.close();
  }

  @Test
  void bodiesBeyondWhatMayBeHeldAtOnceAreAnswered503() throws Exception {
    start(WebhookSettings.defaults().withLimits(64 * 1024, 2, 4)
            .withConnectionLimits(16, 64 * 1024, Duration.ofMinutes(2)),
        AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    try (SSLSocket slow = handshaken(); SSLSocket next = handshaken()) {
      // a client that declares nearly 64 KiB and sends them slowly holds its reservation
      slow.getOutputStream().write(("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: "
          + (64 * 1024 - 100) + "\r\n\r\n{").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      // the server has read the head and reserved the declared body
      await().until(() -> server.bufferedBodyBytes() == 64 * 1024 - 100);
      String refused = exchange(next, request(WebhookServer.VALIDATE, podReview("u-2")));
      assertThat(refused).startsWith("HTTP/1.1 503");
      assertThat(registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName()
              .equals("kube_devops_webhook_errors"))
          .flatMap(s -> s.getDataPoints().stream())
          .map(point -> point.getLabels().get("webhook") + "/" + point.getLabels().get("reason")))
          .contains("validate/busy");
    }
    // the slow client went away: its reservation came back
    try (SSLSocket again = handshaken()) {
      assertThat(exchange(again, request(WebhookServer.VALIDATE, podReview("u-4"))))
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void pipelinedReviewsAreAnsweredInTheirOrder() throws Exception {
    start(WebhookSettings.defaults(), input -> {
      if (input.uid().equals("u-slow")) {
        // the scenario, not a wait: a judge slower than the next one, whose answer must still
        // come second
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Verdict.allowed(List.of());
    });
    try (SSLSocket socket = handshaken()) {
      socket.getOutputStream().write(concat(request(WebhookServer.VALIDATE, podReview("u-slow")),
          request(WebhookServer.VALIDATE, podReview("u-fast"))));
      socket.getOutputStream().flush();
      String first = readResponse(socket.getInputStream());
      String second = readResponse(socket.getInputStream());
      assertThat(first).contains("u-slow");
      assertThat(second).contains("u-fast");
    }
  }

  @Test
  void anIdleConnectionIsClosedByTheServer() throws Exception {
    start(WebhookSettings.defaults().withConnectionLimits(16, 64L << 20, Duration.ofMillis(300)),
        AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE));
    try (SSLSocket socket = handshaken()) {
      assertThat(exchange(socket, request(WebhookServer.VALIDATE, podReview("u-1"))))
          .startsWith("HTTP/1.1 200");
      socket.setSoTimeout(5_000);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    await().until(() -> server.openConnections() == 0);
  }

  private SSLSocket handshaken() throws Exception {
    SSLSocket socket = (SSLSocket) TlsFixtures.trusting(ca.certificate()).getSocketFactory()
        .createSocket("127.0.0.1", server.port());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  private static byte[] podReview(String uid) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode review = AdmissionFixtures.review("CREATE",
        "shop", AdmissionFixtures.yaml(AdmissionFixtures.WEBHOOK_CASES
            .resolve("passing_test.pod.yaml")), null);
    ((com.fasterxml.jackson.databind.node.ObjectNode) review.path("request")).put("uid", uid);
    return JSON.writeValueAsBytes(review);
  }

  private static byte[] request(String path, byte[] body) {
    return concat(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + "application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII), body);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static String exchange(SSLSocket socket, byte[] request) throws Exception {
    socket.getOutputStream().write(request);
    socket.getOutputStream().flush();
    return readResponse(socket.getInputStream());
  }

  /** One HTTP/1.1 response with a Content-Length: its head and body as text. */
  private static String readResponse(java.io.InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        throw new java.io.EOFException("connection closed after: " + head);
      }
      head.append((char) next);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern
        .compile("(?i)content-length: *(\\d+)").matcher(head);
    byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
    return head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The certificate a new handshake is served. */
  private X509Certificate served(X509Certificate... trusted) throws Exception {
    try (SSLSocket socket = (SSLSocket) TlsFixtures.trusting(trusted).getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
