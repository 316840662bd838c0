package io.stochastic.devops.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many policies at once on a real API server: applied a few at a time, reported in the order
 * given, a refused one reported among them without stopping the others.
 */
@IntegrationTest
class PolicyImporterIT {
  @Test
  void manyPoliciesAreAppliedAndReportedInTheirOrderWithTheRefusedOne(TestingNamespace ns) {
    ClusterSession session = ClusterSession.over(ns.client(), "test");
    PolicyImporter importer = new PolicyImporter(session, ObjectYaml.asIs());
    List<DesiredPolicy> policies = new ArrayList<>();
    for (int i = 0; i < 3 * PolicyImporter.PARALLELISM + 1; i++) {
      // the schema's minimum refuses p-5 (422 Invalid)
      Map<String, Object> spec = Map.of("bundle", "baseline", "maxRestartCount", i == 5 ? -1 : i);
      policies.add(DesiredPolicy.of("policies.yaml#" + i, ns.name(), "p-" + i, Map.of(
          "apiVersion", "devops.stochastic.io/v1", "kind", "DevOpsPolicy",
          "metadata", Map.of(), "spec", spec)));
    }
    List<String> expected = policies.stream().map(DesiredPolicy::name)
        .filter(name -> !name.equals("p-5")).toList();

    PolicyImporter.Report first = importer.apply(policies, false, true);

    assertThat(first.results()).extracting(ApplyResult::name).containsExactlyElementsOf(expected);
    assertThat(first.results()).extracting(ApplyResult::action).containsOnly(ApplyAction.CREATED);
    assertThat(first.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.policy().name()).isEqualTo("p-5");
      assertThat(failure.message()).contains("maxRestartCount");
    });

    PolicyImporter.Report again = importer.apply(policies, false, true);
    assertThat(again.results()).extracting(ApplyResult::name).containsExactlyElementsOf(expected);
    assertThat(again.results()).extracting(ApplyResult::action)
        .containsOnly(ApplyAction.UNCHANGED);
    assertThat(again.failures()).hasSize(1);
  }
}
