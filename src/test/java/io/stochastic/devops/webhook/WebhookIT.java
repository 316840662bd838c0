package io.stochastic.devops.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.metrics.WebhookMetrics;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingApiServer;
import io.stochastic.devops.testing.TestingNamespace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook through the real API server: the configurations install-config builds, registered
 * with the generated CA bundle and a URL on 127.0.0.1, narrowed to the test's namespace so that
 * other tests on the same server are not reviewed.
 */
@IntegrationTest
class WebhookIT {
  private static final Duration CONFIGURED = Duration.ofSeconds(30);

  @TempDir
  Path certs;

  /**
   * An image without a version: tagNotSpecified, high, which no patch can fix, so the mutating
   * webhook leaves it to the validating one. (A privileged container would be refused by the
   * test API server itself; hostPID would be removed by the mutation.)
   */
  private static final String LATEST = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: nginx
                image: nginx:latest
                securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
      """;

  private static final String NO_PROBES = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: plain}
      spec:
        replicas: 2
        selector: {matchLabels: {app: plain}}
        template:
          metadata: {labels: {app: plain}}
          spec:
            containers:
              - name: app
                image: nginx:1.27
                securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
      """;

  private static String policy(String namespace, String mode) {
    return """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: default, namespace: %s}
        spec:
          bundle: baseline
          enforcementMode: %s
          remediation:
            livenessProbe: {tcpSocket: {port: 80}, periodSeconds: 10}
            readinessProbe: {tcpSocket: {port: 80}}
        """.formatted(namespace, mode);
  }

  /** A webhook on loopback with its configurations registered for one namespace. */
  private final class Running implements AutoCloseable {
    final CertificateAuthority ca;
    final PolicyInformer policies;
    final WebhookServer server;
    final KubernetesClient admin;

    Running(TestingNamespace namespace, String mode) throws Exception {
      admin = namespace.server().client();
      ca = TlsFixtures.writeLoopbackCertificates(certs);
      namespace.client().genericKubernetesResources(ApiResources.DEVOPS_POLICY)
          .load(new ByteArrayInputStream(policy(namespace.name(), mode)
              .getBytes(StandardCharsets.UTF_8))).create();
      policies = PolicyInformer.start(admin, new ResolvedPolicies(TestUtils.resolver()),
          TestUtils.bundle("baseline"), true);
      await().atMost(CONFIGURED).until(() -> policies.hasSynced()
          && policies.get().governing(namespace.name()).isPresent());
      WebhookMetrics metrics = new WebhookMetrics(new PrometheusRegistry());
      ServingCertificate serving = new ServingCertificate(certs.resolve("tls.crt"),
          certs.resolve("tls.key"), Clock.systemUTC(), metrics::certificateReloaded);
      server = WebhookServer.start(WebhookSettings.defaults().withBindAddress("127.0.0.1")
              .withPort(0),
          new AdmissionReviewer(TestUtils.engine(), policies, RelatedObjects.NONE,
              new Remediator()), serving.sslContext(), metrics);
      for (Map<String, Object> configuration : WebhookConfigurations.build(
          new WebhookConfigurations.Url("https://127.0.0.1:" + server.port()),
          Files.readAllBytes(certs.resolve("ca.crt")), "Ignore",
          EngineSettings.DEFAULT_SYSTEM_NAMESPACES)) {
        onlyNamespace(configuration, namespace.name());
        GenericKubernetesResource object =
            Serialization.jsonMapper().convertValue(configuration, GenericKubernetesResource.class);
        admin.genericKubernetesResources(configuration.get("kind").equals(
                "ValidatingWebhookConfiguration")
                ? ApiResources.VALIDATING_WEBHOOK_CONFIGURATION
                : ApiResources.MUTATING_WEBHOOK_CONFIGURATION)
            .resource(object).forceConflicts().serverSideApply();
      }
    }

    @Override
    public void close() {
      server.close();
      policies.close();
      admin.genericKubernetesResources(ApiResources.VALIDATING_WEBHOOK_CONFIGURATION)
          .withName(WebhookConfigurations.NAME).delete();
      admin.genericKubernetesResources(ApiResources.MUTATING_WEBHOOK_CONFIGURATION)
          .withName(WebhookConfigurations.NAME).delete();
    }
  }

  @SuppressWarnings("unchecked")
  private static void onlyNamespace(Map<String, Object> configuration, String namespace) {
    for (Map<String, Object> webhook : (List<Map<String, Object>>) configuration.get("webhooks")) {
      webhook.put("namespaceSelector",
          Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", namespace)));
    }
  }

  private static Deployment deployment(KubernetesClient client, String yaml) {
    return client.apps().deployments()
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
  }

  /** Waits until the API server calls the webhook (its configuration informer is behind). */
  private static void awaitDenial(KubernetesClient client) {
    await().atMost(CONFIGURED).ignoreExceptionsMatching(e -> false).until(() -> {
      try {
        client.apps().deployments().resource(deployment(client, LATEST)).dryRun().create();
        return false;
      } catch (KubernetesClientException e) {
        return e.getMessage().contains("denied the request");
      }
    });
  }

  @Test
  void aViolatingDeploymentIsRefusedWithOurMessage(TestingNamespace namespace) throws Exception {
    KubernetesClient client = namespace.client();
    try (Running webhook = new Running(namespace, "enforce")) {
      awaitDenial(client);
      assertThatThrownBy(() -> client.apps().deployments()
          .resource(deployment(client, LATEST)).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("admission webhook \"validate.devops.stochastic.io\" denied "
              + "the request: Deployment/" + namespace.name() + "/web violates DevOpsPolicy")
          .hasMessageContaining("tagNotSpecified [high] container nginx: ")
          .hasMessageContaining("Fix: ");
      assertThat(client.apps().deployments().withName("web").get()).isNull();

      // a compliant one goes through; its pods (run by its ReplicaSet) are not held up either
      Deployment fine = client.apps().deployments()
          .resource(deployment(client, LATEST.replace("nginx:latest",
              "nginx:1.27"))).create();
      assertThat(fine.getMetadata().getUid()).isNotBlank();

      // with the webhook stopped and failurePolicy Ignore, creates still succeed
      webhook.server.close();
      Deployment admitted = client.apps().deployments()
          .resource(deployment(client, LATEST.replace("name: web", "name: while-down")))
          .create();
      assertThat(admitted.getMetadata().getUid()).isNotBlank();
    }
  }

  @Test
  void auditWarningsReachKubectlAndMutateAddsProbes(TestingNamespace namespace)
      throws Exception {
    KubernetesClient client = namespace.client();
    try (Running webhook = new Running(namespace, "audit")) {
      await().atMost(CONFIGURED).until(() -> client.apps().deployments()
          .resource(deployment(client, NO_PROBES)).dryRun().create().getSpec().getTemplate()
          .getSpec().getContainers().get(0).getLivenessProbe() != null);
      Path manifest = Files.writeString(certs.resolve("latest.yaml"), LATEST);
      Process kubectl = new ProcessBuilder(TestingApiServer.kubectl().toString(),
          "--kubeconfig", namespace.kubeconfig().toString(), "-n", namespace.name(),
          "apply", "-f", manifest.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(certs.resolve("kubectl.err").toFile()).start();
      assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String stderr = Files.readString(certs.resolve("kubectl.err"));
      assertThat(kubectl.exitValue()).as(stderr).isZero();
      assertThat(stderr).contains("Warning: tagNotSpecified [high] container nginx: ");

      Deployment plain = client.apps().deployments().resource(deployment(client, NO_PROBES))
          .create();
      var container = plain.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(80);
      assertThat(container.getReadinessProbe()).isNotNull();
    }
  }

  @Test
  void aCertificateRenewedOnDiskIsServedToTheApiServerWithoutRestart(TestingNamespace namespace)
      throws Exception {
    KubernetesClient client = namespace.client();
    try (Running webhook = new Running(namespace, "enforce")) {
      awaitDenial(client);
      X509Certificate before = served(webhook);
      // renewed by the same CA, as cert-manager does: the API server's caBundle still holds
      Path renewed = Files.createDirectories(certs.resolve("renewed"));
      CertificateAuthority.Issued next = webhook.ca.issue(List.of("localhost"),
          List.of("127.0.0.1"), Instant.now());
      Files.writeString(renewed.resolve("tls.crt"), CertificateAuthority.pem(next.certificate()));
      Files.writeString(renewed.resolve("tls.key"),
          CertificateAuthority.pem(next.keys().getPrivate()));
      FileTime later = FileTime.from(Instant.now().plusSeconds(5));
      for (String file : List.of("tls.key", "tls.crt")) {
        Files.move(renewed.resolve(file), certs.resolve(file),
            StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(certs.resolve(file), later);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> served(webhook)
          .equals(next.certificate()));
      assertThat(before).isNotEqualTo(next.certificate());
      List<String> refusals = new ArrayList<>();
      try {
        client.apps().deployments().resource(deployment(client, LATEST)).create();
      } catch (KubernetesClientException e) {
        refusals.add(e.getMessage());
      }
      assertThat(refusals).singleElement().asString().contains("denied the request");
    }
  }

  private static X509Certificate served(Running webhook) throws Exception {
    try (SSLSocket socket = (SSLSocket) TlsFixtures.trusting(webhook.ca.certificate())
        .getSocketFactory().createSocket("127.0.0.1", webhook.server.port())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
