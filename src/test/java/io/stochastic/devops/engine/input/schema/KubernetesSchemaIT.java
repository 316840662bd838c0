package io.stochastic.devops.engine.input.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes schema the offline audit validates manifests with is the OpenAPI v3 of the API
 * server the tests run, reduced ({@link OpenApiReduction}): regenerate it with {@code
 * -Dkube-devops.update-docs=true} when the test Kubernetes version moves.
 */
@IntegrationTest
class KubernetesSchemaIT {
  private static final boolean UPDATE = Boolean.getBoolean("kube-devops.update-docs");
  private static final Path BUNDLED =
      Path.of("src/main/resources", KubernetesSchema.RESOURCE);

  @Test
  void bundledSchemaIsTheTestApiServersOpenApi(KubernetesClient client) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(client.raw("/openapi/v3"));
    OpenApiReduction reduction = new OpenApiReduction();
    for (Iterator<Map.Entry<String, JsonNode>> it = index.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      // Kubernetes's own groups only: other tests of the run may have installed CRDs.
      if (path.getKey().matches("(api|apis/([^/.]+|[^/]+\\.k8s\\.io))/v[0-9a-z]+")) {
        reduction.add(json.readTree(client.raw(path.getValue().path("serverRelativeURL").asText())));
      }
    }
    String version = json.readTree(client.raw("/version")).path("gitVersion").asText();
    String generated = reduction.render(version.replaceFirst("^v", "").replaceFirst("[-+].*", ""));
    if (UPDATE) {
      Files.createDirectories(BUNDLED.getParent());
      Files.writeString(BUNDLED, generated);
    }
    assertThat(Files.exists(BUNDLED) ? Files.readString(BUNDLED) : "")
        .as(BUNDLED + " is stale: run ./mvnw verify -Dit.test=KubernetesSchemaIT "
            + "-Dkube-devops.update-docs=true")
        .isEqualTo(generated);
  }
}
