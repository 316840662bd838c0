package io.stochastic.devops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.testing.TestingPromtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {
  @TempDir
  Path dir;

  @Test
  void everyMetricIsOnAPanel() {
    assertThat(PromQlReferences.unreferencedMetrics(Dashboard.expressions()))
        .as("metrics no panel shows").isEmpty();
  }

  /** No dead panel: each query names only series the components define. */
  @Test
  void everyQueryNamesOnlyDefinedSeries() {
    assertThat(PromQlReferences.undefinedReferences(Dashboard.expressions()))
        .as("queries naming series no metric defines").isEmpty();
  }

  @Test
  void prometheusParsesEveryQuery() throws Exception {
    Path rules = dir.resolve("dashboard-queries.yaml");
    Files.writeString(rules,
        ObjectYaml.asIs().write(PromQlReferences.recordingRules(Dashboard.expressions())));
    TestingPromtool.Result result = TestingPromtool.checkRules(rules);
    assertThat(result.ok()).as("promtool check rules on the dashboard's queries:%n%s",
        result.output()).isTrue();
    assertThat(result.output()).contains(Dashboard.expressions().size() + " rules found");
  }

  /** The JSON is what Grafana 10+ imports: current schema, a data source variable, a grid. */
  @Test
  void jsonIsAGrafanaTenDashboard() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Dashboard.json());
    assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(38);
    assertThat(dashboard.get("uid").asText()).isEqualTo(Dashboard.UID);
    List<String> variables = new ArrayList<>();
    dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
    assertThat(variables).containsExactly("datasource", "cluster", "namespace");
    assertThat(dashboard.get("templating").get("list").get(0).get("type").asText())
        .isEqualTo("datasource");
    Set<Integer> ids = new HashSet<>();
    List<String> rows = new ArrayList<>();
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(ids.add(panel.get("id").asInt())).as("unique panel id").isTrue();
      JsonNode grid = panel.get("gridPos");
      assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(panel.get("title").asText())
          .isLessThanOrEqualTo(24);
      if (panel.get("type").asText().equals("row")) {
        rows.add(panel.get("title").asText());
        continue;
      }
      assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
      assertThat(panel.get("targets")).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
        assertThat(target.get("expr").asText()).isNotBlank();
        queries++;
      }
    }
    assertThat(rows).containsExactly("Fleet and cluster health", "Policy violations",
        "Operator reconciles", "Webhook admission", "GitOps sync", "Auditor runs",
        "Watch engine");
    assertThat(queries).isEqualTo(Dashboard.expressions().size() - 2);
  }

  @Test
  void webhookLatencyIsAQuantileOfTheHistogramBuckets() {
    Dashboard.Panel latency = Dashboard.rows().stream().flatMap(r -> r.panels().stream())
        .filter(p -> p.title().equals("Admission latency")).findFirst().orElseThrow();
    assertThat(latency.queries().get(1).expr()).isEqualTo("histogram_quantile(0.99, sum by "
        + "(webhook, le) (rate(kube_devops_webhook_request_duration_seconds_bucket"
        + "[$__rate_interval])))");
  }
}
