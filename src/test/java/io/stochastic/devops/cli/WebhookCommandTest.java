package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stochastic.devops.webhook.ServingCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookCommandTest {
  @TempDir
  Path dir;

  @Test
  void certGenerateWritesACaAndAServingCertificateForTheService() throws Exception {
    CliResult result = CliResult.run("webhook", "cert-generate", "--service", "hook", "-n",
        "kube-devops", "--out", dir.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    X509Certificate ca = ServingCertificate.readChain(dir.resolve("ca.crt"))[0];
    X509Certificate serving = ServingCertificate.readChain(dir.resolve("tls.crt"))[0];
    serving.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(serving.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
        .containsExactly((Object) "hook", "hook.kube-devops", "hook.kube-devops.svc",
            "hook.kube-devops.svc.cluster.local");
    assertThat(ServingCertificate.readKey(dir.resolve("tls.key")).getAlgorithm()).isEqualTo("EC");
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void installConfigDryRunPrintsBothConfigurations() throws Exception {
    CliResult.run("webhook", "cert-generate", "--service", "hook", "-n", "kube-devops", "--out",
        dir.toString());
    CliResult result = CliResult.run("webhook", "install-config", "--ca-bundle-path",
        dir.resolve("ca.crt").toString(), "--service", "hook", "-n", "kube-devops",
        "--failure-policy", "Fail", "--system-namespace", "monitoring", "--dry-run");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<JsonNode> documents;
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
        .readValues(result.out())) {
      documents = it.readAll();
    }
    assertThat(documents).extracting(d -> d.path("kind").asText())
        .containsExactly("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
    for (JsonNode document : documents) {
      JsonNode webhook = document.path("webhooks").get(0);
      assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
      assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(5);
      assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
      assertThat(webhook.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
      assertThat(webhook.path("clientConfig").path("service").path("namespace").asText())
          .isEqualTo("kube-devops");
      assertThat(Base64.getDecoder().decode(webhook.path("clientConfig").path("caBundle")
          .asText())).isEqualTo(Files.readAllBytes(dir.resolve("ca.crt")));
      assertThat(webhook.path("namespaceSelector").path("matchExpressions").get(0)
          .path("values").toString())
          .contains("kube-system", "kube-public", "kube-node-lease", "cert-manager",
              "monitoring", "kube-devops");
      assertThat(webhook.path("rules").toString()).contains("pods", "deployments", "cronjobs");
    }
    assertThat(documents.get(0).at("/webhooks/0/clientConfig/service/path").asText())
        .isEqualTo("/validate");
    assertThat(documents.get(1).at("/webhooks/0/clientConfig/service/path").asText())
        .isEqualTo("/mutate");
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Files.writeString(dir.resolve("ca.crt"), "not a certificate");
    for (CliResult result : List.of(
        CliResult.run("webhook", "install-config", "--ca-bundle-path",
            dir.resolve("ca.crt").toString(), "--url", "https://127.0.0.1:8443", "--dry-run"),
        CliResult.run("webhook", "install-config", "--ca-bundle-path",
            dir.resolve("missing.crt").toString(), "--url", "https://127.0.0.1", "--dry-run"),
        CliResult.run("webhook", "serve", "--cert", dir.resolve("missing.crt").toString(),
            "--key", dir.resolve("missing.key").toString()),
        CliResult.run("webhook", "cert-generate", "--service", "Bad_Name", "-n", "x", "--out",
            dir.toString()))) {
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err().strip().lines()).as(result.toString()).hasSize(1);
      assertThat(result.err()).doesNotContain("Exception").doesNotContain("at io.");
    }
    CliResult httpUrl = CliResult.run("webhook", "install-config", "--ca-bundle-path",
        dir.resolve("ca.crt").toString(), "--url", "http://127.0.0.1", "--dry-run");
    assertThat(httpUrl.exitCode()).isEqualTo(2);
  }
}
