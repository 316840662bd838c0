package io.stochastic.devops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.TestAbortedException;

/** A harness test whose program is missing is reported skipped, with why, never passed. */
class IntegrationTestExtensionTest {
  private static final String MISSING = "/nonexistent/";
  private static final String PUSHGATEWAY_MISSING =
      "-D" + TestingPushgateway.BINARY_PROPERTY + "=" + MISSING + "prometheus-pushgateway is not an executable file";

  @Test
  void aMissingProgramSkipsTheTestsThatAskForItSayingWhy() {
    Events tests = run(NeedsPrograms.class, false);

    tests.assertStatistics(stats -> stats.started(2).aborted(2).succeeded(0).failed(0));
    tests.assertThatEvents()
        .haveExactly(1, event(test("usesAPushgateway"),
            abortedWithReason(instanceOf(TestAbortedException.class), message(PUSHGATEWAY_MISSING))))
        .haveExactly(1, event(test("usesAGitServer"), abortedWithReason(instanceOf(TestAbortedException.class),
            message("-D" + TestingGitServer.GIT_PROPERTY + "=" + MISSING + "git is not an executable file"))));
  }

  @Test
  void aMissingProgramAskedForByABeforeEachMethodSkipsToo() {
    run(NeedsGitBeforeEach.class, false).assertStatistics(stats -> stats.started(1).aborted(1).succeeded(0).failed(0));
  }

  @Test
  void onCiAMissingProgramFailsTheTest() {
    Events tests = run(NeedsPrograms.class, true);

    tests.assertStatistics(stats -> stats.started(2).aborted(0).succeeded(0).failed(2));
    tests.assertThatEvents()
        .haveExactly(1, event(test("usesAPushgateway"), finishedWithFailure(message(m -> m.contains(PUSHGATEWAY_MISSING)))));
  }

  @Test
  void aProgramMissingFromPathIsNamedWithHowToInstallIt() {
    assertThatThrownBy(() -> withProperties(Map.of(Executables.REQUIRE_PROPERTY, "false"),
            () -> Executables.require("kube-devops.test.unset", "install it", List.of("kube-devops-absent"))))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("kube-devops-absent not found on PATH: install it"
            + " (or set -Dkube-devops.test.unset=/path/to/kube-devops-absent)");
  }

  @Test
  void namespacePrefixesAreDnsLabels() {
    assertThat(TestingApiServer.dnsLabelPrefix("PolicySyncIT-appliesChanged_Files")).isEqualTo("policysyncit-applieschanged-files");
    assertThat(TestingApiServer.dnsLabelPrefix("--")).isEqualTo("test");
    assertThat(TestingApiServer.dnsLabelPrefix("A".repeat(49) + "-b")).isEqualTo("a".repeat(49));
  }

  @Test
  void aMissingControllerManagerFailsPointingAtTheBuildScript(@TempDir Path versionDirectory) throws IOException {
    assertThatThrownBy(() -> TestingApiServer.BinaryLocation.controllerManagerIn(versionDirectory, "v1.36.3"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(versionDirectory.resolve("kube-controller-manager").toString())
        .hasMessageContaining("scripts/kube-test-binaries.sh");

    Path binary = Files.createFile(versionDirectory.resolve("kube-controller-manager"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertThat(TestingApiServer.BinaryLocation.controllerManagerIn(versionDirectory, "v1.36.3")).isEqualTo(binary);
  }

  private static Events run(Class<?> fixture, boolean ci) {
    Map<String, String> properties = new HashMap<>();
    properties.put(TestingPushgateway.BINARY_PROPERTY, MISSING + "prometheus-pushgateway");
    properties.put(TestingGitServer.GIT_PROPERTY, MISSING + "git");
    properties.put(Executables.REQUIRE_PROPERTY, Boolean.toString(ci));
    return withProperties(
        properties, () -> EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents());
  }

  private static <T> T withProperties(Map<String, String> properties, Supplier<T> action) {
    Properties saved = (Properties) System.getProperties().clone();
    properties.forEach(System::setProperty);
    try {
      return action.get();
    } finally {
      System.setProperties(saved);
    }
  }

  /** Fixture, run only through the engine test kit above (the property is set there alone). */
  @IntegrationTest
  @EnabledIfSystemProperty(named = TestingGitServer.GIT_PROPERTY, matches = MISSING + ".*")
  static class NeedsPrograms {
    @Test
    void usesAPushgateway(TestingPushgateway gateway) {
      throw new AssertionError("ran without a pushgateway: " + gateway);
    }

    @Test
    void usesAGitServer(TestingGitServer git) {
      throw new AssertionError("ran without git: " + git);
    }
  }

  /** Fixture, as above. */
  @IntegrationTest
  @EnabledIfSystemProperty(named = TestingGitServer.GIT_PROPERTY, matches = MISSING + ".*")
  static class NeedsGitBeforeEach {
    @BeforeEach
    void seed(TestingGitServer git) {
      git.createRepository("never");
    }

    @Test
    void usesIt() {
      throw new AssertionError("ran without git");
    }
  }
}
