package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KubernetesVersionTest {
  @Test
  void parsesMinorVersionsAndReleaseVersions() {
    assertThat(KubernetesVersion.parse("1.32")).isEqualTo(new KubernetesVersion(1, 32));
    assertThat(KubernetesVersion.parse("v1.32")).isEqualTo(new KubernetesVersion(1, 32));
    assertThat(KubernetesVersion.parse("v1.29.4")).isEqualTo(new KubernetesVersion(1, 29));
    assertThat(KubernetesVersion.parse("1.9.0")).isEqualTo(new KubernetesVersion(1, 9));
    assertThat(KubernetesVersion.parse("v1.30.2-gke.1587003"))
        .isEqualTo(new KubernetesVersion(1, 30));
    assertThat(KubernetesVersion.parse("v1.29.3+k3s1")).hasToString("1.29");
  }

  @Test
  void refusesAnythingElseNamingTheFormat() {
    for (String bad : new String[] {"", "1", "latest", "1.x", "v1.32.", "1.32.4.5", "one.two"}) {
      assertThatThrownBy(() -> KubernetesVersion.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a Kubernetes version (expected 1.N or v1.N.P, "
              + "for example 1.32 or v1.32.4)");
    }
  }

  @Test
  void readsWhatAnApiServerReports() {
    assertThat(KubernetesVersion.ofServer("1", "28+", "v1.28.9-eks-036c24b"))
        .isEqualTo(new KubernetesVersion(1, 28));
    assertThat(KubernetesVersion.ofServer("", "", "v1.31.1")).hasToString("1.31");
  }

  @Test
  void ordersByMinorNumberNotText() {
    assertThat(KubernetesVersion.parse("1.9")).isLessThan(KubernetesVersion.parse("1.16"));
    assertThat(new KubernetesVersion(1, 36).asMap()).containsEntry("minor", 36L)
        .containsEntry("major", 1L).containsEntry("version", "1.36");
  }

  /** One constant, pinned to the version the integration tests start (pom.xml kube.version). */
  @Test
  void theDefaultIsTheVersionTheTestApiServerRuns() throws Exception {
    Matcher m = Pattern.compile("<kube\\.version>([^<]+)</kube\\.version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).as("kube.version in pom.xml").isTrue();
    assertThat(KubernetesVersion.DEFAULT).isEqualTo(KubernetesVersion.parse(m.group(1)));
  }
}
