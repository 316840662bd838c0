package io.stochastic.devops.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up runs every part for real: judging, in-memory handshakes, HTTPS on loopback. */
class WebhookWarmUpTest {
  @Test
  void judgesShakesHandsAndServesOverHttpsWithTheWebhooksOwnCertificate(@TempDir Path certs) {
    WebhookWarmUp.Result result = warmUp(certs, 40, Duration.ofSeconds(60));

    assertThat(result.judged()).isEqualTo(40);
    assertThat(result.handshakes()).isEqualTo(4);
    // a quarter of 40, in rounds of 8 reviews over HTTP/2 and HTTP/1.1: two rounds
    assertThat(result.overHttps()).isEqualTo(16);
  }

  @Test
  void stopsAtItsBudget(@TempDir Path certs) {
    WebhookWarmUp.Result result = warmUp(certs, 1_000_000, Duration.ofMillis(300));

    assertThat(result.judged()).isLessThan(1_000_000);
    assertThat(result.handshakes()).isZero();
    assertThat(result.overHttps()).isZero();
  }

  private static WebhookWarmUp.Result warmUp(Path certs, int reviews, Duration budget) {
    TlsFixtures.writeLoopbackCertificates(certs);
    ServingCertificate serving = new ServingCertificate(certs.resolve("tls.crt"),
        certs.resolve("tls.key"), Clock.systemUTC(), reloaded -> { });
    return WebhookWarmUp.run(TestUtils.engine(), TestUtils.resolver().bundle("restricted"),
        serving.sslContext(), serving.certificate(), reviews, budget);
  }
}
