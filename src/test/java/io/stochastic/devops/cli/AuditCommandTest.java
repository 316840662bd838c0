package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.TestUtils.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: good, namespace: shop}
      spec:
        replicas: 2
        template:
          spec:
            automountServiceAccountToken: false
            securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
            containers:
              - name: app
                image: registry.example.com/app:1.2.3
                livenessProbe: {tcpSocket: {port: 8080}}
                readinessProbe: {tcpSocket: {port: 8080}}
                resources:
                  requests: {cpu: 100m, memory: 128Mi}
                  limits: {cpu: 500m, memory: 256Mi}
                securityContext:
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  capabilities: {drop: [ALL]}
      """;
  private static final String BAD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: bad, namespace: shop}
      spec:
        containers:
          - name: app
            image: nginx:latest
            securityContext: {privileged: true}
      """;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static JsonNode json(CliRun run) throws IOException {
    return JSON.readTree(run.out());
  }

  @Test
  void auditsFilesAndDirectoriesAndExitsZeroWithoutAGate() throws IOException {
    write("a/good.yaml", GOOD);
    write("a/b/bad.yml", BAD);
    CliRun run = cli("audit", dir.toString(), "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode report = json(run);
    assertThat(report.get("summary").get("workloads").asInt()).isEqualTo(2);
    assertThat(report.get("workloads")).extracting(w -> w.get("name").asText())
        .containsExactly("bad", "good");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void kustomizeDirectoriesAreSkippedWithAWarningLineEachAndTheRestAudited() throws IOException {
    CliRun run = cli("audit", "src/test/resources/input/kustomize", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode report = json(run);
    assertThat(report.get("workloads")).extracting(w -> w.get("name").asText())
        .containsExactly("web");
    assertThat(run.err().lines().filter(l -> l.contains("a Kustomize directory")))
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).startsWith("warning: src/test/resources/input/kustomize/")
            .contains("| kube-devops audit -"));
  }

  @Test
  void anObjectDefinedTwiceIsAuditedOnceWithAWarningNamingBothSources() throws IOException {
    Path first = write("one.yaml", BAD);
    Path second = write("two.yaml", GOOD + "---\n" + BAD.replace("nginx:latest", "nginx:1.27"));
    CliRun run = cli("audit", dir.toString(), "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode report = json(run);
    assertThat(report.get("workloads")).extracting(w -> w.get("source").asText())
        .containsExactlyInAnyOrder(second + "#0", second + "#1");
    assertThat(run.err()).isEqualTo("warning: Pod/shop/bad is defined twice: " + first
        + "#0 (line 1) and " + second + "#1 (line 23); judged once, as defined last (" + second
        + "#1), the definition kubectl apply would leave" + System.lineSeparator());
  }

  private static final String DUMP = "src/test/resources/input/get dump #1";

  @Test
  void sarifLocatesEachListItemAtItsOwnLineUnderAnEscapedUri() throws IOException {
    CliRun run = cli("audit", DUMP, "-o", "sarif");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode results = json(run).get("runs").get(0).get("results");
    JsonNode cart = null;
    JsonNode root = null;
    for (JsonNode r : results) {
      if (r.get("ruleId").asText().equals("runAsPrivileged")) {
        String name = r.get("properties").get("name").asText();
        if (name.equals("cart")) {
          cart = r.get("locations").get(0).get("physicalLocation");
        } else if (name.equals("root")) {
          root = r.get("locations").get(0).get("physicalLocation");
        }
      }
    }
    assertThat(cart).isNotNull();
    assertThat(root).isNotNull();
    assertThat(cart.get("artifactLocation").get("uri").asText())
        .isEqualTo("src/test/resources/input/get%20dump%20%231/deployments.yaml");
    assertThat(cart.get("region").get("startLine").asInt()).isEqualTo(16);
    assertThat(root.get("artifactLocation").get("uri").asText())
        .isEqualTo("src/test/resources/input/get%20dump%20%231/pods.json");
    assertThat(root.get("region").get("startLine").asInt()).isEqualTo(12);
  }

  @Test
  void junitLocatesEachListItemAtItsOwnLine() {
    CliRun run = cli("audit", DUMP, "-o", "junit");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .contains("classname=\"shop.Deployment.api\" name=\"runAsPrivileged\" file=\""
            + DUMP + "/deployments.yaml\" line=\"3\"")
        .contains("classname=\"shop.Deployment.cart\" name=\"runAsPrivileged\" file=\""
            + DUMP + "/deployments.yaml\" line=\"16\"")
        .contains("classname=\"shop.Pod.debug\" name=\"runAsPrivileged\" file=\""
            + DUMP + "/pods.json\" line=\"4\"")
        .contains("classname=\"shop.Pod.root\" name=\"runAsPrivileged\" file=\""
            + DUMP + "/pods.json\" line=\"12\"");
  }

  @Test
  void placeholdersInValuesAreQuotedInMessagesNotExpanded() throws IOException {
    Path template = write("template.yaml", BAD.replace("nginx:latest", "${image}")
        .replace("name: app", "name: ${name}"));
    CliRun run = cli("audit", template.toString(), "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(json(run).get("workloads").get(0).get("findings"))
        .anySatisfy(f -> assertThat(f.get("message").asText()).contains("${image}"))
        .filteredOn(f -> f.has("container"))
        .allSatisfy(f -> assertThat(f.get("message").asText()).startsWith("Container ${name} "));
  }

  @Test
  void failOnAndFailBelowGateTheExitCode() throws IOException {
    Path bad = write("bad.yaml", BAD);
    CliRun onHigh = cli("audit", bad.toString(), "--fail-on", "high");
    assertThat(onHigh.exitCode()).isEqualTo(1);
    assertThat(onHigh.err()).contains("policy gate failed:").contains("at or above high");

    CliRun below = cli("audit", bad.toString(), "--fail-below", "90", "-o", "json");
    assertThat(below.exitCode()).isEqualTo(1);
    assertThat(below.err()).contains("is below 90");

    Path good = write("good.yaml", GOOD);
    assertThat(cli("audit", good.toString(), "--fail-on", "low", "--fail-below", "100")
        .exitCode()).isEqualTo(0);
  }

  @Test
  void readsStdin() {
    CliRun run = TestUtils.cliWithStdin(BAD, "audit", "-", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("\"source\" : \"<stdin>#0\"");
  }

  @Test
  void emptyInputScoresOneHundredWithAWarning() throws IOException {
    Path services = write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
    CliRun run = cli("audit", services.toString(), "-o", "json", "--fail-below", "100");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(json(run).get("score").asInt()).isEqualTo(100);
    assertThat(run.err()).startsWith("warning: no workloads found");
  }

  @Test
  void malformedInputIsOneLinePerDocumentAndExitTwo() throws IOException {
    Path broken = write("broken.yaml", GOOD + "---\napiVersion: v1\nkind: Pod\nmetadata: [\n");
    CliRun run = cli("audit", broken.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString()
        .startsWith("error: " + broken + "#1: malformed YAML at line");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void skipInvalidWarnsAndAuditsTheRest() throws IOException {
    write("values.yaml", "replicaCount: 2\n");
    write("good.yaml", GOOD);
    CliRun run = cli("audit", dir.toString(), "--skip-invalid", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.err()).contains("warning: ").contains("values.yaml#0: not a Kubernetes object");
    assertThat(json(run).get("summary").get("workloads").asInt()).isEqualTo(1);
  }

  @Test
  void aMissingFileIsExitTwo() {
    CliRun run = cli("audit", dir.resolve("nope.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nope.yaml: no such file or directory");
  }

  @Test
  void usageErrorsAreExitTwoWithAHint() throws IOException {
    Path good = write("good.yaml", GOOD);
    CliRun format = cli("audit", good.toString(), "-o", "html");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).startsWith("error: invalid value 'html' for --output");

    CliRun severity = cli("audit", good.toString(), "--fail-on", "urgent");
    assertThat(severity.exitCode()).isEqualTo(2);
    assertThat(severity.err()).contains("--fail-on: unknown severity 'urgent'");

    CliRun noInput = cli("audit");
    assertThat(noInput.exitCode()).isEqualTo(2);
    assertThat(noInput.err()).contains("Run 'kube-devops audit --help' for usage.");

    CliRun bundle = cli("audit", good.toString(), "--bundle", "strict");
    assertThat(bundle.exitCode()).isEqualTo(2);
    assertThat(bundle.err()).contains("unknown bundle 'strict'");

    CliRun both = cli("audit", good.toString(), "--policy", good.toString(), "--bundle",
        "baseline");
    assertThat(both.exitCode()).isEqualTo(2);
  }

  @Test
  void aPolicyFileAppliesToEveryNamespace() throws IOException {
    Path policy = write("policy.yaml", """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: lenient, namespace: somewhere-else}
        spec:
          bundle: permissive
          severityOverrides: {tagNotSpecified: "off", runAsPrivileged: low}
        """);
    Path bad = write("bad.yaml", BAD);
    JsonNode report = json(cli("audit", bad.toString(), "--policy", policy.toString(),
        "-o", "json"));
    JsonNode findings = report.get("workloads").get(0).get("findings");
    assertThat(findings).noneMatch(f -> f.get("check").asText().equals("tagNotSpecified"));
    assertThat(findings).anySatisfy(f -> {
      assertThat(f.get("check").asText()).isEqualTo("runAsPrivileged");
      assertThat(f.get("severity").asText()).isEqualTo("low");
    });
  }

  @Test
  void anInvalidPolicyFileIsExitTwoNamingTheField() throws IOException {
    Path policy = write("policy.yaml", """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec: {bundle: strict}
        """);
    CliRun run = cli("audit", write("good.yaml", GOOD).toString(), "--policy", policy.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("policy.yaml#0:4: error: spec.bundle: unsupported value "
        + "\"strict\"").contains("refusing to audit: 1 error");
  }

  @Test
  void aPolicyRepositoryGivesEachNamespaceItsPolicy() throws IOException {
    write("policies/namespaces/shop/policy.yaml", """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop}
        spec:
          severityOverrides: {tagNotSpecified: "off"}
        """);
    Path manifests = write("manifests/pods.yaml", BAD + "---\n" + BAD.replace("shop", "other"));
    JsonNode report = json(cli("audit", manifests.toString(), "--policies",
        dir.resolve("policies").toString(), "-o", "json"));
    assertThat(report.get("workloads").get(0).get("findings"))
        .noneMatch(f -> f.get("check").asText().equals("tagNotSpecified"));
    assertThat(report.get("workloads").get(1).get("findings"))
        .anyMatch(f -> f.get("check").asText().equals("tagNotSpecified"));
  }

  @Test
  void aPolicyRepositoryDeployedWithKustomizeIsStillRead() throws IOException {
    write("policies/namespaces/shop/policy.yaml", """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop}
        spec:
          severityOverrides: {tagNotSpecified: "off"}
        """);
    write("policies/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [namespaces/shop/policy.yaml]
        """);
    Path manifests = write("manifests/pods.yaml", BAD);
    CliRun run = cli("audit", manifests.toString(), "--policies",
        dir.resolve("policies").toString(), "-o", "json");
    assertThat(run.err()).doesNotContain("Kustomize");
    assertThat(json(run).get("workloads").get(0).get("findings"))
        .noneMatch(f -> f.get("check").asText().equals("tagNotSpecified"));
  }

  @Test
  void namespaceOptionPlacesObjectsWithoutOne() throws IOException {
    Path pod = write("pod.yaml", BAD.replace(", namespace: shop", ""));
    JsonNode report = json(cli("audit", pod.toString(), "-n", "team-a", "-o", "json"));
    assertThat(report.get("workloads").get(0).get("namespace").asText()).isEqualTo("team-a");
  }

  @Test
  void theExamplesAuditAsTheReadmeShows() {
    CliRun run = cli("audit", "examples/");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("NAMESPACE shop").contains("NAMESPACE legacy")
        .contains("Score: ");
  }
}
