package io.stochastic.devops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.remediation.Remediator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** AdmissionReviews built from manifests, and reviewers over the tests' engine. */
final class AdmissionFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path WEBHOOK_CASES =
      Path.of("src/test/resources/conformance/polaris/webhook_cases");

  /** The baseline bundle in enforce mode (denies high and critical findings). */
  static final String BASELINE_ENFORCE = """
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata: {name: default, namespace: shop}
      spec:
        bundle: baseline
        enforcementMode: enforce
      """;

  private AdmissionFixtures() {}

  static JsonNode yaml(Path file) {
    try {
      return new YAMLMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file (Polaris's StatefulSet cases hold a Service first). */
  static java.util.List<JsonNode> documents(Path file) {
    try (var parser = new YAMLMapper().createParser(Files.readString(file))) {
      java.util.List<JsonNode> documents = new java.util.ArrayList<>();
      new YAMLMapper().readValues(parser, JsonNode.class).forEachRemaining(node -> {
        if (node != null && node.isObject()) {
          documents.add(node);
        }
      });
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String text) {
    try {
      return new YAMLMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An AdmissionReview v1 of {@code operation} on {@code object} (and {@code old}). */
  static ObjectNode review(String operation, String namespace, JsonNode object, JsonNode old) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", UUID.randomUUID().toString());
    JsonNode source = object != null ? object : old;
    String apiVersion = source.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    ObjectNode kind = request.putObject("kind");
    kind.put("group", slash < 0 ? "" : apiVersion.substring(0, slash));
    kind.put("version", apiVersion.substring(slash + 1));
    kind.put("kind", source.path("kind").asText());
    request.put("name", source.path("metadata").path("name").asText());
    request.put("namespace", namespace);
    request.put("operation", operation);
    request.putObject("userInfo").put("username", "test");
    request.put("dryRun", false);
    if (object != null) {
      request.set("object", object);
    }
    if (old != null) {
      request.set("oldObject", old);
    }
    return review;
  }

  static AdmissionInput input(String operation, String namespace, JsonNode object, JsonNode old) {
    return AdmissionInput.parse(review(operation, namespace, object, old), JSON);
  }

  /** A reviewer judging every namespace by {@code policy}. */
  static AdmissionReviewer reviewer(EffectivePolicy policy) {
    AdmissionPolicies policies = new AdmissionPolicies(NamespacePolicies.single(policy), true);
    return new AdmissionReviewer(TestUtils.engine(), () -> policies, RelatedObjects.NONE,
        new Remediator());
  }

  static AdmissionReviewer reviewer(String policyYaml) {
    return reviewer(TestUtils.resolve(policyYaml));
  }
}
