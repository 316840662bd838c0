package io.stochastic.devops.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The YAML export and diff write, and what they leave out. */
class ObjectYamlTest {
  private static final ObjectYaml YAML = ObjectYaml.policies(PolicySchema.devOpsPolicy());
  private static final String LIVE = """
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata:
        annotations:
          kubectl.kubernetes.io/last-applied-configuration: '{"big": "json"}'
          devops.stochastic.io/source-revision: 0a1b2c3
          team.example.com/owner: checkout
        creationTimestamp: "2026-11-22T10:00:00Z"
        finalizers: [devopspolicies.devops.stochastic.io/finalizer]
        generation: 3
        labels:
          team: shop
        managedFields:
          - manager: kube-devops-sync
            operation: Apply
        name: shop
        namespace: shop
        resourceVersion: "4711"
        uid: 6f1c4b0e-0000-4000-8000-000000000000
      spec:
        severityOverrides:
          tagNotSpecified: "off"
          cpuLimitsMissing: low
        remediation:
          resources:
            limits: {cpu: "1", memory: 512Mi}
        enforcementMode: audit
        bundle: baseline
        customChecks:
          - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels && object.metadata.labels.team != ''"
            id: teamLabelMissing
            message: |
              ${kind} ${name} has no team label.
              Who gets paged?
      status:
        healthScore: 87
      """;

  @Test
  void serverFieldsAreLeftOutAndFieldsFollowTheSchemaOrder() {
    String yaml = YAML.write(ServerFields.strip(
        Serialization.unmarshal(LIVE, GenericKubernetesResource.class)));

    assertThat(yaml).isEqualTo("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata:
          name: shop
          namespace: shop
          labels:
            team: shop
          annotations:
            team.example.com/owner: checkout
        spec:
          bundle: baseline
          enforcementMode: audit
          severityOverrides:
            cpuLimitsMissing: low
            tagNotSpecified: "off"
          customChecks:
            - id: teamLabelMissing
              expression: has(object.metadata.labels) && 'team' in object.metadata.labels && object.metadata.labels.team != ''
              message: |
                ${kind} ${name} has no team label.
                Who gets paged?
          remediation:
            resources:
              limits:
                cpu: "1"
                memory: 512Mi
        """);
  }

  @Test
  void whatIsWrittenReadsBackAsTheSameTree() throws IOException {
    Map<String, Object> clean = ServerFields.strip(
        Serialization.unmarshal(LIVE, GenericKubernetesResource.class));

    Object read = new ObjectMapper(new YAMLFactory()).readValue(YAML.write(clean), Map.class);

    assertThat(read).isEqualTo(new ObjectMapper().convertValue(clean, Map.class));
  }

  @Test
  void aUnifiedDiffShowsTheChangedLinesWithContext() {
    String diff = UnifiedDiff.of("live/shop/shop", "a: 1\nb: 2\nc: 3\n", "desired/shop/shop",
        "a: 1\nb: 5\nc: 3\n");

    assertThat(diff).isEqualTo("--- live/shop/shop\n+++ desired/shop/shop\n@@ -1,3 +1,3 @@\n"
        + " a: 1\n-b: 2\n+b: 5\n c: 3\n");
    assertThat(UnifiedDiff.of("x", "a: 1\n", "y", "a: 1\n")).isEmpty();
  }
}
