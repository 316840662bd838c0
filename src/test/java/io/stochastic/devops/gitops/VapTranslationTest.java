package io.stochastic.devops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.testing.TestingObjects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VapTranslationTest {
  private static final VapExporter EXPORTER =
      new VapExporter(TestUtils.catalog().environment(), List.of());
  private static final VapTranslation TRANSLATION =
      new VapTranslation(TestUtils.resolver(), EXPORTER);

  @SuppressWarnings("unchecked")
  private static DesiredPolicy policy(String yaml) {
    Map<String, Object> content = Serialization.unmarshal(yaml, Map.class);
    Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) content.get(
        "metadata"));
    metadata.put("labels", Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC));
    metadata.put("annotations", Map.of(Annotations.SOURCE_PATH,
        "policies/namespaces/shop/policy.yaml", Annotations.SOURCE_REVISION, "abc123"));
    content.put("metadata", metadata);
    return DesiredPolicy.of("policies/namespaces/shop/policy.yaml#0", "shop", "team", content);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theExportersObjectsMarkedAsTheSyncs() {
    DesiredPolicy policy = policy(TestingObjects.policy("team", "pss-baseline"));

    List<VapTranslation.DesiredVap> objects = TRANSLATION.of(policy);

    EffectivePolicy effective = TestUtils.resolver().resolve(PolicyDocuments.fromTree(
        "policy", Serialization.unmarshal(TestingObjects.policy("team", "pss-baseline"),
            Map.class)), "policy");
    List<Map<String, Object>> exported = EXPORTER.export(effective, "shop-team", "shop",
        VapExporter.Action.DENY).objects();
    assertThat(objects).hasSize(exported.size()).isNotEmpty();
    for (int i = 0; i < objects.size(); i++) {
      VapTranslation.DesiredVap vap = objects.get(i);
      Map<String, Object> expected = exported.get(i);
      Map<String, Object> actual = Serialization.jsonMapper().convertValue(vap.object(),
          Map.class);
      assertThat(vap.kind()).isEqualTo(expected.get("kind"));
      assertThat(vap.name()).startsWith("kube-devops-shop-team-")
          .isEqualTo(((Map<String, Object>) expected.get("metadata")).get("name"));
      assertThat(vap.source()).isEqualTo(policy.source());
      assertThat(vap.key()).isEqualTo(vap.kind() + "/null/" + vap.name());
      // no second translation: the spec is the exporter's
      assertThat(actual.get("spec")).isEqualTo(
          Serialization.jsonMapper().convertValue(expected.get("spec"), Map.class));
      Map<String, Object> metadata = (Map<String, Object>) actual.get("metadata");
      assertThat((Map<String, Object>) metadata.get("labels"))
          .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC)
          .containsKey(VapExporter.CHECK_LABEL);
      assertThat((Map<String, Object>) metadata.get("annotations"))
          .containsEntry(Annotations.SOURCE_PATH, "policies/namespaces/shop/policy.yaml")
          .containsEntry(Annotations.SOURCE_REVISION, "abc123");
    }
    assertThat(objects).extracting(VapTranslation.DesiredVap::name)
        .contains("kube-devops-shop-team-run-as-privileged");
  }

  @Test
  void aCheckTurnedOffExportsNothing() {
    DesiredPolicy off = policy(TestingObjects.policy("team", "pss-baseline")
        + "  severityOverrides:\n    runAsPrivileged: \"off\"\n");

    assertThat(TRANSLATION.of(off)).extracting(VapTranslation.DesiredVap::name)
        .doesNotContain("kube-devops-shop-team-run-as-privileged")
        .contains("kube-devops-shop-team-host-pid-set");
  }

  @Test
  void aPolicyThatDoesNotResolveIsAnEngineError() {
    DesiredPolicy unknown = policy(TestingObjects.policy("team", "no-such-bundle"));

    assertThatThrownBy(() -> TRANSLATION.of(unknown)).isInstanceOf(EngineException.class);
  }
}
