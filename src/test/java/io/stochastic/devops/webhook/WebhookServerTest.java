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
      } else if (!name.equals("passing_test.deployment.annotations.yaml")) {
        // that one is exempt by Polaris's annotation only: see WebhookCasesTest
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

  /** The certificate a new handshake is served. */
  private X509Certificate served(X509Certificate... trusted) throws Exception {
    try (SSLSocket socket = (SSLSocket) TlsFixtures.trusting(trusted).getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
