package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.TestUtils.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicyExportVapCommandTest {
  @Test
  void theExamplePoliciesExportCleanlyScopedToTheirNamespace() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("policies/namespaces"))) {
      files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      CliRun run = TestUtils.cli("policy", "export-vap", "--policy", file.toString());
      assertThat(run.exitCode()).as(file + ": " + run.err()).isZero();
      List<JsonNode> objects = new ArrayList<>();
      new YAMLMapper().readerFor(JsonNode.class).readValues(run.out())
          .forEachRemaining(o -> objects.add((JsonNode) o));
      assertThat(objects).as(file.toString()).isNotEmpty();
      String namespace = new YAMLMapper().readTree(file.toFile()).path("metadata")
          .path("namespace").asText();
      for (JsonNode object : objects) {
        if (object.path("kind").asText().equals("ValidatingAdmissionPolicyBinding")) {
          assertThat(object.path("spec").path("matchResources").toString())
              .contains("\"In\"", "[\"" + namespace + "\"]");
        }
      }
      assertThat(run.err().lines()).allMatch(l -> l.startsWith("stays with the webhook / "
          + "operator: "));
    }
  }

  @Test
  void aBundleExportsAsJsonAndNamesWhatStaysWithTheWebhook() throws Exception {
    CliRun run = TestUtils.cli("policy", "export-vap", "--bundle", "restricted", "-o", "json",
        "--action", "warn");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode list = new ObjectMapper().readTree(run.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items")).allSatisfy(o -> {
      if (o.path("kind").asText().equals("ValidatingAdmissionPolicyBinding")) {
        assertThat(o.path("spec").path("validationActions").toString()).isEqualTo("[\"Warn\"]");
        assertThat(o.path("spec").path("matchResources").toString()).contains("NotIn",
            "kube-system", "kube-devops");
      }
    });
    assertThat(run.err()).contains("stays with the webhook / operator: missingNetworkPolicy "
        + "(reads other objects with related(NetworkPolicy)");
  }

  @Test
  void exactlyOneSourceAndAKnownActionAreRequired() {
    CliRun none = TestUtils.cli("policy", "export-vap");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("exactly one of --policy FILE, -n NS or --bundle NAME")
        .doesNotContain("Exception");
    CliRun two = TestUtils.cli("policy", "export-vap", "--bundle", "baseline", "-n", "shop");
    assertThat(two.exitCode()).isEqualTo(2);
    CliRun action = TestUtils.cli("policy", "export-vap", "--bundle", "baseline", "--action",
        "Block");
    assertThat(action.exitCode()).isEqualTo(2);
    assertThat(action.err()).contains("--action: unknown action 'Block'");
    CliRun bundle = TestUtils.cli("policy", "export-vap", "--bundle", "nope");
    assertThat(bundle.exitCode()).isEqualTo(2);
    assertThat(bundle.err()).contains("--bundle").doesNotContain("Exception");
  }
}
