package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.deploy.observability.AlertRules;
import io.stochastic.devops.deploy.observability.AlertThresholds;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.runtime.ComponentSettings;
import org.junit.jupiter.api.Test;

class ObservabilityCommandTest {
  /** The ServiceMonitors' ports are the ones the commands serve /metrics on by default. */
  @Test
  void metricsPortsAreTheCommandsDefaults() {
    assertThat(Component.WATCH.metricsPort()).hasValue(WatchCommand.DEFAULT_PORT);
    for (Component c : new Component[] {Component.OPERATOR, Component.SYNC, Component.WEBHOOK}) {
      assertThat(c.metricsPort()).as(c.id()).hasValue(ComponentSettings.DEFAULT_PORT);
    }
    assertThat(Component.AUDITOR.metricsPort()).isEmpty();
  }

  /** The flags' defaults are the documented {@link AlertThresholds#DEFAULTS}. */
  @Test
  void flagDefaultsAreTheDocumentedThresholds() {
    assertThat(cli("observability", "generate-alerts", "--rules-file").out()).isEqualTo(
        ObjectYaml.asIs().write(new AlertRules(AlertThresholds.DEFAULTS,
            AlertRules.DEFAULT_RUNBOOK_URL).spec()));
  }

  @Test
  void aSubcommandIsRequired() {
    var run = cli("observability");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a subcommand is required");
  }
}
