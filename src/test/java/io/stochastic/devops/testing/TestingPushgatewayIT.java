package io.stochastic.devops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Pushgateway, pushed to the way the batch auditor will: client_java's PushGateway. */
@IntegrationTest
class TestingPushgatewayIT {
  private static final String METRIC = "kube_devops_auditor_namespace_score";

  @Test
  void acceptsAPushAndShowsItOnMetrics(TestingPushgateway gateway) throws Exception {
    pusher(gateway, Format.PROMETHEUS_PROTOBUF, "prod-eu", 87).push();

    assertThat(samples(gateway))
        .singleElement()
        .satisfies(line -> assertThat(line)
            .contains("cluster=\"prod-eu\"", "job=\"kube-devops-auditor\"", "namespace=\"payments\"")
            .endsWith(" 87"));
  }

  @Test
  void groupsByKeyAcceptTextFormatAndCanBeDeleted(TestingPushgateway gateway) throws Exception {
    pusher(gateway, Format.PROMETHEUS_TEXT, "prod-eu", 87).push();
    PushGateway staging = pusher(gateway, Format.PROMETHEUS_TEXT, "staging", 55);
    staging.push();
    assertThat(samples(gateway)).hasSize(2);

    staging.delete();

    assertThat(samples(gateway)).singleElement().asString().contains("cluster=\"prod-eu\"");
  }

  private static PushGateway pusher(TestingPushgateway gateway, Format format, String cluster, int score) {
    PrometheusRegistry registry = new PrometheusRegistry();
    Gauge.builder()
        .name(METRIC)
        .help("Score of the namespace in the last audit")
        .labelNames("namespace")
        .register(registry)
        .labelValues("payments")
        .set(score);
    return PushGateway.builder()
        .address(gateway.address())
        .format(format)
        .job("kube-devops-auditor")
        .groupingKey("cluster", cluster)
        .registry(registry)
        .build();
  }

  private static List<String> samples(TestingPushgateway gateway) {
    return gateway.metrics().lines().filter(line -> line.startsWith(METRIC + "{")).toList();
  }
}
