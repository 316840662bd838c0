package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stochastic.devops.engine.KubernetesVersion;
import io.stochastic.devops.kube.ClusterSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which Kubernetes version an audit of a cluster judges for: the flag's, else the server's. */
class EngineOptionsTest {
  private HttpServer server;
  private KubernetesClient client;
  private final AtomicInteger versionRequests = new AtomicInteger();

  /** A stand-in API server answering /version with this status and body. */
  private ClusterSession serverAnswering(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/version", exchange -> {
      versionRequests.incrementAndGet();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .withRequestRetryBackoffLimit(0).build()).build();
    return ClusterSession.over(client, "test");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private static EngineOptions options(String version) {
    EngineOptions options = new EngineOptions();
    options.systemNamespaces = new SystemNamespaceOptions();
    options.kubernetesVersion = version;
    return options;
  }

  @Test
  void withoutTheFlagAClusterIsJudgedForTheVersionItsApiServerReports() throws IOException {
    ClusterSession session = serverAnswering(200,
        "{\"major\": \"1\", \"minor\": \"29+\", \"gitVersion\": \"v1.29.3-eks-adc7111\"}");
    assertThat(options(null).engineSettings(session).kubernetesVersion())
        .isEqualTo(new KubernetesVersion(1, 29));
    assertThat(versionRequests).hasValue(1);
  }

  @Test
  void theFlagWinsAndTheServerIsNotAsked() throws IOException {
    ClusterSession session = serverAnswering(200, "{\"major\": \"1\", \"minor\": \"29\"}");
    assertThat(options("v1.33.1").engineSettings(session).kubernetesVersion())
        .isEqualTo(new KubernetesVersion(1, 33));
    assertThat(versionRequests).hasValue(0);
  }

  @Test
  void aServerThatWillNotSayGivesTheDefault() throws IOException {
    ClusterSession session = serverAnswering(403, "{\"kind\": \"Status\", \"code\": 403}");
    assertThat(options(null).engineSettings(session).kubernetesVersion())
        .isEqualTo(KubernetesVersion.DEFAULT);
  }

  @Test
  void offlineTheDefaultUnlessTheFlagSaysOtherwise() {
    assertThat(options(null).engineSettings().kubernetesVersion())
        .isEqualTo(KubernetesVersion.DEFAULT);
    assertThat(options("1.20").engineSettings().kubernetesVersion())
        .isEqualTo(new KubernetesVersion(1, 20));
    assertThatThrownBy(() -> options("1.20.x").engineSettings())
        .isInstanceOf(UserException.class)
        .hasMessage("--kubernetes-version: '1.20.x' is not a Kubernetes version (expected 1.N "
            + "or v1.N.P, for example 1.32 or v1.32.4)");
  }
}
