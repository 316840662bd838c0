package io.stochastic.devops.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComponentSettingsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    ComponentSettings settings = ComponentSettings.defaults("sync", "kube-devops");
    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.leaseName()).isEqualTo("kube-devops-sync");
    assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.identity()).isNotBlank();
  }

  @Test
  void leaderElectionTimingsMustLeaveRoomForAHandOver() {
    ComponentSettings settings = ComponentSettings.defaults("sync", "ns");
    assertThatThrownBy(() -> settings.withLeaseTimings(Duration.ofSeconds(10),
        Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry period < renew deadline < lease duration");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertThatThrownBy(() -> ComponentSettings.defaults("sync", "ns").withPort(70000))
        .hasMessage("port must be 0-65535, not 70000");
  }
}
