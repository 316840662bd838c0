package io.stochastic.devops.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdkHttpServersTest {
  private final String before = System.getProperty(JdkHttpServers.NO_DELAY);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(JdkHttpServers.NO_DELAY);
    } else {
      System.setProperty(JdkHttpServers.NO_DELAY, before);
    }
  }

  @Test
  void nagleIsTurnedOffUnlessSetExplicitly() {
    System.clearProperty(JdkHttpServers.NO_DELAY);
    JdkHttpServers.noDelay();
    assertThat(System.getProperty(JdkHttpServers.NO_DELAY)).isEqualTo("true");

    // -Dsun.net.httpserver.nodelay=false (the JDK's default, to compare) is respected
    System.setProperty(JdkHttpServers.NO_DELAY, "false");
    JdkHttpServers.noDelay();
    assertThat(System.getProperty(JdkHttpServers.NO_DELAY)).isEqualTo("false");
  }
}
