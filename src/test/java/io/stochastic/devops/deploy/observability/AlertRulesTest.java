package io.stochastic.devops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.testing.TestingPromtool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesTest {
  /** The unit tests of the default rules; they name the rules file {@link #RULES_FILE}. */
  private static final String UNIT_TESTS = "alerts-test.yaml";
  private static final String RULES_FILE = "kube-devops-alerts.yaml";
  private final AlertRules rules =
      new AlertRules(AlertThresholds.DEFAULTS, AlertRules.DEFAULT_RUNBOOK_URL);

  @TempDir
  Path dir;

  @Test
  void promtoolChecksTheRules() throws Exception {
    TestingPromtool.Result result = TestingPromtool.checkRules(writeRules());
    assertThat(result.ok()).as("promtool check rules:%n%s", result.output()).isTrue();
    assertThat(result.output()).contains(rules.alerts().size() + " rules found");
  }

  /** Each alert fires on a breakdown and stays silent before it and on the healthy series. */
  @Test
  void promtoolUnitTestsPass() throws Exception {
    writeRules();
    Path tests = dir.resolve(UNIT_TESTS);
    try (InputStream in = getClass().getResourceAsStream(UNIT_TESTS)) {
      Files.copy(in, tests);
    }
    TestingPromtool.Result result = TestingPromtool.testRules(tests);
    assertThat(result.ok()).as("promtool test rules:%n%s", result.output()).isTrue();
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    JsonNode tests;
    try (InputStream in = getClass().getResourceAsStream(UNIT_TESTS)) {
      tests = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<String> firing = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (JsonNode test : tests.get("tests")) {
      for (JsonNode rule : test.get("alert_rule_test")) {
        String name = rule.get("alertname").asText();
        (rule.get("exp_alerts").isEmpty() ? silent : firing).add(name);
      }
    }
    for (AlertRules.Alert alert : rules.alerts()) {
      assertThat(firing).as("a test where %s fires", alert.name()).contains(alert.name());
      assertThat(silent).as("a test where %s does not fire", alert.name())
          .contains(alert.name());
    }
  }

  @Test
  void alertsNameOnlyDefinedSeries() {
    List<String> expressions = rules.alerts().stream().map(AlertRules.Alert::expr).toList();
    assertThat(PromQlReferences.undefinedReferences(expressions)).isEmpty();
  }

  /** runbook_url is the alert's paragraph: docs/observability.md has a heading of its name. */
  @Test
  void everyRunbookIsAHeadingOfTheDocs() throws IOException {
    String docs = Files.readString(Path.of("docs/observability.md"));
    for (AlertRules.Alert alert : rules.alerts()) {
      assertThat(docs).as("runbook heading of " + alert.name())
          .contains("\n### " + alert.name() + "\n");
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> groups = (List<Map<String, Object>>) rules.spec().get("groups");
    assertThat(groups.get(0).toString()).contains("runbook_url="
        + AlertRules.DEFAULT_RUNBOOK_URL + "#kubedevopsauditornotsucceeding");
  }

  @Test
  void thresholdsReachTheExpressions() {
    AlertRules strict = new AlertRules(new AlertThresholds(Duration.ofHours(6),
        Duration.ofMinutes(30), Duration.ofMinutes(10), 0.25, 0.05, 80), "https://runbooks/x");
    List<String> exprs = strict.alerts().stream().map(AlertRules.Alert::expr).toList();
    assertThat(exprs).anyMatch(e -> e.endsWith("kube_devops_auditor_last_success_timestamp_"
        + "seconds) > 21600"));
    assertThat(exprs).anyMatch(e -> e.endsWith("kube_devops_auditor_cluster_score) < 80"));
    assertThat(exprs).anyMatch(e -> e.endsWith("[5m]))) > 0.25"));
    assertThat(exprs).anyMatch(e -> e.endsWith("[5m])) > 0.05"));
    assertThat(strict.alerts().get(0).summary()).contains("more than 6 hours");
  }

  private Path writeRules() throws IOException {
    Path file = dir.resolve(RULES_FILE);
    Files.writeString(file, ObjectYaml.asIs().write(rules.spec()));
    return file;
  }
}
