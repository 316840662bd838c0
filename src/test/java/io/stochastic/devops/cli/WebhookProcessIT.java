package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook as the process a pod runs: {@code bin/kube-devops webhook serve} over the packaged
 * jar, with the certificate {@code webhook cert-generate} wrote, as its ServiceAccount under
 * exactly the RBAC {@code deploy generate-rbac --component webhook} prints. Ready once its
 * policy informer has synced; a review over HTTPS is judged by the namespace's policy, and the
 * denial logged; SIGTERM answers what is in flight and exits 0; every log line is JSON.
 */
@IntegrationTest
class WebhookProcessIT {
  private static final Pattern HTTPS_PORT = Pattern.compile("on HTTPS port (\\d+);");
  private static final Pattern METRICS_PORT = Pattern.compile("/metrics on port (\\d+)");

  @Test
  void servesUnderTheGeneratedRoleAndExitsZeroOnSigterm(TestingNamespace ns, @TempDir Path dir)
      throws Exception {
    var admin = ns.client();
    Path certs = dir.resolve("certs");
    Process generate = new ProcessBuilder("bin/kube-devops", "webhook", "cert-generate",
        "--service", "kube-devops-webhook", "-n", ns.name(), "--ip-address", "127.0.0.1",
        "--out", certs.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("generate.log").toFile()).start();
    assertThat(generate.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(generate.exitValue()).as(Files.readString(dir.resolve("generate.log"))).isZero();

    String account = Component.WEBHOOK.accountName();
    Path kubeconfig = TestingObjects.serviceAccountKubeconfig(ns, account,
        dir.resolve("kubeconfig"));
    TestingObjects.create(admin, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: default}
        spec: {bundle: baseline, enforcementMode: enforce}
        """);
    String clusterName = ComponentProcess.createGeneratedRbac(ns, Component.WEBHOOK);
    try {
      Path log = dir.resolve("webhook.log");
      Process webhook = new ProcessBuilder("bin/kube-devops", "webhook", "serve",
          "--kubeconfig", kubeconfig.toString(), "--cert", certs.resolve("tls.crt").toString(),
          "--key", certs.resolve("tls.key").toString(), "--bind-address", "127.0.0.1",
          "--port", "0", "--metrics-port", "0", "--log-format", "json")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        int https = port(log, HTTPS_PORT);
        int metrics = port(log, METRICS_PORT);
        HttpClient plain = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metrics + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        HttpClient tls = HttpClient.newBuilder().sslContext(trusting(certs.resolve("ca.crt")))
            .build();
        String review = Files.readString(Path.of(
                "src/test/resources/bench/webhook-review-deployment.json"))
            .replace("\"namespace\": \"shop\"", "\"namespace\": \"" + ns.name() + "\"");
        // the policy reaches the informer shortly after readiness: ask until it judges by it
        JsonNode answer = await().atMost(Duration.ofSeconds(30)).until(() -> new ObjectMapper()
                .readTree(tls.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + https + "/validate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("response"),
            response -> !response.path("allowed").asBoolean());
        assertThat(answer.path("status").path("message").asText())
            .contains("Deployment/" + ns.name() + "/checkout violates DevOpsPolicy");

        webhook.destroy(); // SIGTERM
        assertThat(webhook.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        String output = Files.readString(log);
        assertThat(webhook.exitValue()).as(output).isZero();
        assertThat(output).as("nothing refused").doesNotContain("forbidden", "Forbidden");
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : output.lines().toList()) {
          lines.add(json.readTree(line)); // throws on a line that is not JSON
        }
        assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
            .startsWith("validate denied CREATE Deployment/" + ns.name() + "/checkout"));
        assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
            .contains("stopped: the reviews in flight were answered"));
      } finally {
        webhook.destroyForcibly();
      }
    } finally {
      ComponentProcess.deleteGeneratedRbac(ns, clusterName);
    }
  }

  private static int port(Path log, Pattern pattern) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      Matcher port = pattern.matcher(Files.readString(log));
      return port.find() ? Integer.parseInt(port.group(1)) : null;
    }, p -> p != null);
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile)));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
