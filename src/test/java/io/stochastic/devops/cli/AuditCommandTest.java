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
        selector: {matchLabels: {app: good}}
        template:
          metadata: {labels: {app: good}}
          spec:
            automountServiceAccountToken: false
            securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
            containers:
              - name: app
                image: registry.example.com/app:1.2.3
                livenessProbe: {tcpSocket: {port: 8080}, failureThreshold: 6}
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
    assertThat(report.get("summary").get("skippedKustomizations").asInt()).isEqualTo(4);
    assertThat(cli("audit", "src/test/resources/input/kustomize").out())
        .contains("; 4 Kustomize inputs skipped, not audited (see warnings)");
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
        + "#0 (line 1) and " + second + "#1 (line 25); judged once, as defined last (" + second
        + "#1), the definition kubectl apply would leave" + System.lineSeparator());
    assertThat(report.get("summary").get("duplicates").asInt()).isEqualTo(1);
    assertThat(report.get("summary").has("skippedKustomizations")).as("absent when none")
        .isFalse();
    assertThat(cli("audit", dir.toString()).out())
        .contains("; 1 object defined more than once, judged as defined last");
    assertThat(cli("audit", dir.toString(), "-o", "markdown").out())
        .contains("1 object defined more than once");
  }

  @Test
  void objectsThatAreNotWorkloadsAreCountedApartInEveryFormat() throws IOException {
    write("app.yaml", GOOD + """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {password: hunter2}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        """);
    JsonNode summary = json(cli("audit", dir.toString(), "-o", "json")).get("summary");
    assertThat(summary.get("workloads").asInt()).as("the Deployment only").isEqualTo(1);
    assertThat(summary.get("otherObjects").asInt()).as("the ConfigMap and the Service checks judged")
        .isEqualTo(2);
    assertThat(cli("audit", dir.toString(), "-o", "yaml").out()).contains("workloads: 1")
        .contains("otherObjects: 2");
    String line = "1 workload and 2 other objects audited against bundle baseline";
    assertThat(cli("audit", dir.toString()).out()).contains(line);
    assertThat(cli("audit", dir.toString(), "-o", "markdown").out()).contains(line);
    assertThat(cli("audit", dir.toString(), "-o", "github").out()).contains(line);

    Files.delete(dir.resolve("app.yaml"));
    write("app.yaml", GOOD);
    JsonNode workloadsOnly = json(cli("audit", dir.toString(), "-o", "json")).get("summary");
    assertThat(workloadsOnly.has("otherObjects")).as("absent when none").isFalse();
    assertThat(workloadsOnly.has("duplicates")).as("absent when none").isFalse();
  }

  @Test
  void kubernetesVersionDecidesWhetherAnOldApiVersionIsDeprecatedOrRemoved() throws IOException {
    write("old.yaml", """
        apiVersion: extensions/v1beta1
        kind: Deployment
        metadata: {name: legacy, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: app, image: nginx:1.27}]
        ---
        apiVersion: policy/v1beta1
        kind: PodSecurityPolicy
        metadata: {name: restricted}
        spec: {privileged: false}
        """);
    JsonNode now = json(cli("audit", dir.toString(), "-o", "json"));
    assertThat(now.get("workloads")).extracting(w -> w.get("kind").asText())
        .containsExactly("Deployment", "PodSecurityPolicy");
    assertThat(now.get("workloads").get(0).get("findings")).anySatisfy(f -> {
      assertThat(f.get("check").asText()).isEqualTo("removedApiVersion");
      assertThat(f.get("severity").asText()).isEqualTo("high");
      assertThat(f.get("message").asText()).endsWith("use apiVersion apps/v1");
    });
    JsonNode before = json(cli("audit", dir.toString(), "-o", "json",
        "--kubernetes-version", "v1.15.3"));
    assertThat(before.get("workloads").get(0).get("findings"))
        .extracting(f -> f.get("check").asText())
        .contains("deprecatedApiVersion").doesNotContain("removedApiVersion");

    CliRun bad = cli("audit", dir.toString(), "--kubernetes-version", "latest");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).isEqualTo("error: --kubernetes-version: 'latest' is not a Kubernetes "
        + "version (expected 1.N or v1.N.P, for example 1.32 or v1.32.4)"
        + System.lineSeparator());
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
    assertThat(cart.get("region").get("startLine").asInt()).isEqualTo(18);
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
            + DUMP + "/deployments.yaml\" line=\"18\"")
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

  /** An object no check judges. */
  private static final String LEASE =
      "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: s}\n";

  @Test
  void emptyInputScoresOneHundredWithAWarning() throws IOException {
    Path leases = write("lease.yaml", LEASE);
    CliRun run = cli("audit", leases.toString(), "-o", "json", "--fail-below", "100");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(json(run).get("score").asInt()).isEqualTo(100);
    assertThat(run.err()).startsWith("warning: no workloads found");
  }

  @Test
  void failOnEmptyFailsTheGateWhenNothingWasAudited() throws IOException {
    CliRun emptyPipe = TestUtils.cliWithStdin("", "audit", "-", "--fail-below", "80",
        "--fail-on-empty");
    assertThat(emptyPipe.exitCode()).isEqualTo(1);
    assertThat(emptyPipe.err()).contains("warning: no workloads found in -")
        .contains("policy gate failed: no workloads were audited (--fail-on-empty)");

    Path leases = write("lease.yaml", LEASE);
    assertThat(cli("audit", leases.toString(), "--fail-on-empty").exitCode()).isEqualTo(1);
    // Without the flag an empty pipe still passes, as before (the warning says so).
    assertThat(TestUtils.cliWithStdin("", "audit", "-", "--fail-below", "80").exitCode())
        .isEqualTo(0);
    Path good = write("good.yaml", GOOD);
    assertThat(cli("audit", good.toString(), "--fail-on-empty").exitCode()).isEqualTo(0);
  }

  @Test
  void aMissingPolicyFileIsOneLine() throws IOException {
    Path good = write("good.yaml", GOOD);
    CliRun run = cli("audit", good.toString(), "--policy", dir.resolve("nope.yaml").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: " + dir.resolve("nope.yaml")
        + ": no such file (--policy)" + System.lineSeparator());
    CliRun directory = cli("audit", good.toString(), "--policy", dir.toString());
    assertThat(directory.exitCode()).isEqualTo(2);
    assertThat(directory.err().strip().lines()).singleElement().asString()
        .endsWith("is a directory, --policy needs a file");
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
    assertThat(json(run).get("summary").get("skippedInvalid").asInt()).isEqualTo(1);
  }

  @Test
  void skippedInvalidDocumentsAreCountedInEveryFormat() throws Exception {
    write("values.yaml", "replicaCount: 2\n");
    write("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [\n");
    write("good.yaml", GOOD);
    String path = dir.toString();

    CliRun table = cli("audit", path, "--skip-invalid");
    assertThat(table.exitCode()).isEqualTo(0);
    assertThat(table.out()).contains("; 2 invalid documents skipped (--skip-invalid), not audited");

    CliRun yaml = cli("audit", path, "--skip-invalid", "-o", "yaml");
    assertThat(yaml.out()).contains("skippedInvalid: 2");

    CliRun junit = cli("audit", path, "--skip-invalid", "-o", "junit");
    var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new org.xml.sax.InputSource(new java.io.StringReader(junit.out())));
    assertThat(xml.getDocumentElement().getAttribute("skipped")).isEqualTo("2");
    assertThat(xml.getElementsByTagName("skipped").getLength()).isEqualTo(2);
    assertThat(junit.out()).contains("name=\"invalid documents (--skip-invalid)\"")
        .contains("values.yaml#0");

    JsonNode sarif = json(cli("audit", path, "--skip-invalid", "-o", "sarif"));
    JsonNode notifications = sarif.at("/runs/0/invocations/0/toolExecutionNotifications");
    assertThat(notifications).hasSize(2);
    assertThat(notifications.get(0).get("level").asText()).isEqualTo("warning");
    assertThat(notifications.findValuesAsText("text")).anySatisfy(text ->
        assertThat(text).contains("values.yaml#0: not a Kubernetes object"));

    JsonNode clean = json(cli("audit", dir.resolve("good.yaml").toString(), "-o", "json"));
    assertThat(clean.get("summary").has("skippedInvalid")).as("absent when none").isFalse();
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
  void checkParametersOfThePolicyDecideTheVerdict() throws IOException {
    Path deployment = write("shop.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: shop, namespace: shop}
        spec:
          selector: {matchLabels: {app: shop}}
          template:
            metadata: {labels: {app: shop}}
            spec:
              containers:
                - {name: api, image: registry.example.com/shop/api:1.2}
                - {name: worker, image: ghcr.io/acme/worker:3}
        """);
    String policy = """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop, namespace: shop}
        spec:
          severityOverrides: {imageRegistryNotAllowed: medium, tooManyContainers: low}
          checkParameters:
            imageRegistryNotAllowed: {allowedRegistries: %s}
            tooManyContainers: {maxContainers: %d}
        """;
    JsonNode allowed = json(cli("audit", deployment.toString(), "--policy",
        write("allowed.yaml", policy.formatted("[registry.example.com, ghcr.io/acme]", 2))
            .toString(), "-o", "json"));
    assertThat(allowed.get("workloads").get(0).get("findings"))
        .noneMatch(f -> f.get("check").asText().equals("imageRegistryNotAllowed"))
        .noneMatch(f -> f.get("check").asText().equals("tooManyContainers"));

    JsonNode denied = json(cli("audit", deployment.toString(), "--policy",
        write("denied.yaml", policy.formatted("[registry.example.com, ghcr.io/other]", 1))
            .toString(), "-o", "json"));
    JsonNode findings = denied.get("workloads").get(0).get("findings");
    assertThat(findings).filteredOn(f -> f.get("check").asText()
        .equals("imageRegistryNotAllowed")).singleElement()
        .satisfies(f -> assertThat(f.get("message").asText()).contains("worker")
            .contains("ghcr.io/acme/worker:3"));
    assertThat(findings).filteredOn(f -> f.get("check").asText().equals("tooManyContainers"))
        .singleElement().satisfies(f -> assertThat(f.get("message").asText())
            .contains("runs 2 containers (more than 1)"));
  }

  @Test
  void aCheckParameterOfTheWrongTypeIsOneLineNamingTheField() throws IOException {
    Path policy = write("policy.yaml", """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: p}
        spec:
          checkParameters:
            tooManyContainers: {maxContainers: six}
        """);
    CliRun run = cli("audit", write("good.yaml", GOOD).toString(), "--policy", policy.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly(policy + "#0:6: error: spec.checkParameters"
            + ".tooManyContainers.maxContainers: parameter maxContainers of check tooManyContainers"
            + " takes a number (its default is 4), not a string",
        "1 error, 0 warnings in 1 policy in 1 file", "error: refusing to audit: 1 error in the files "
            + "(listed above)");
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

  private static java.util.Set<String> checksRun(JsonNode report) {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    report.get("workloads").forEach(w -> w.get("findings").forEach(f ->
        ids.add(f.get("check").asText())));
    return ids;
  }

  @Test
  void enableAndDisableChecksOnTheCommandLine() throws IOException {
    Path bad = write("bad.yaml", BAD);
    java.util.Set<String> base = checksRun(json(cli("audit", bad.toString(), "-o", "json",
        "--show-passed")));
    assertThat(base).contains("tagNotSpecified", "runAsPrivileged")
        .doesNotContain("linuxHardening");

    JsonNode toggled = json(cli("audit", bad.toString(), "-o", "json", "--show-passed",
        "--disable", "tagNotSpecified,runAsPrivileged", "--enable", "linuxHardening"));
    assertThat(checksRun(toggled)).doesNotContain("tagNotSpecified", "runAsPrivileged")
        .contains("linuxHardening");
    // Repeating the option works as the comma does.
    assertThat(checksRun(json(cli("audit", bad.toString(), "-o", "json", "--show-passed",
        "--disable", "tagNotSpecified", "--disable", "runAsPrivileged"))))
        .doesNotContain("tagNotSpecified", "runAsPrivileged");

    CliRun typo = cli("audit", bad.toString(), "--enable", "livenesProbeMissing");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.out()).isEmpty();
    assertThat(typo.err()).isEqualTo("error: --enable: unknown check 'livenesProbeMissing'; "
        + "did you mean 'livenessProbeMissing'? (see 'kube-devops checks list')"
        + System.lineSeparator());
    CliRun unknown = cli("audit", bad.toString(), "--disable", "noSuchCheck");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("--disable: unknown check 'noSuchCheck'");
    CliRun both = cli("audit", bad.toString(), "--enable", "linuxHardening", "--disable",
        "linuxHardening");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("both in --enable and in --disable");
  }

  @Test
  void onlyFailedAndSummaryTrimTheTable() throws IOException {
    write("good.yaml", GOOD);
    write("bad.yaml", BAD);
    CliRun full = cli("audit", dir.toString());
    assertThat(full.out()).contains("Deployment good").contains("Pod bad");

    CliRun onlyFailed = cli("audit", dir.toString(), "--only-failed");
    assertThat(onlyFailed.exitCode()).isEqualTo(0);
    assertThat(onlyFailed.out()).doesNotContain("Deployment good").contains("Pod bad")
        .contains("2 workloads audited").contains("Score: ");

    CliRun summary = cli("audit", dir.toString(), "--summary");
    assertThat(summary.out().lines()).hasSize(2);
    assertThat(summary.out()).startsWith("2 workloads audited against bundle baseline: ")
        .contains("Score: ");

    // The machine formats stay complete: the report contract has every workload.
    assertThat(json(cli("audit", dir.toString(), "--only-failed", "--summary", "-o", "json"))
        .get("workloads")).hasSize(2);
  }

  @Test
  void githubAnnotationsOnePerFindingAtTheFileAndLine() throws IOException {
    Path file = write("two.yaml", GOOD + "---\n" + BAD);
    CliRun run = cli("audit", file.toString(), "-o", "github");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode report = json(cli("audit", file.toString(), "-o", "json"));
    int findings = report.get("summary").get("failed").asInt();
    java.util.List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(findings + 1);
    assertThat(lines).allMatch(l -> l.startsWith("::error ") || l.startsWith("::warning ")
        || l.startsWith("::notice "));
    String path = file.toString().replace('\\', '/');
    assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("::error file=" + path
        + ",line=25,title=kube-devops runAsPrivileged (critical)::shop/Pod/bad container app: "
        + "Container app runs privileged"));
    assertThat(lines).filteredOn(l -> l.contains("(medium)"))
        .allMatch(l -> l.startsWith("::warning "));
    assertThat(lines.get(lines.size() - 1)).startsWith("::notice title=kube-devops audit::score ");

    CliRun stdin = TestUtils.cliWithStdin(BAD, "audit", "-", "-o", "github");
    assertThat(stdin.out().lines().findFirst().orElseThrow()).doesNotContain("file=");
  }

  @Test
  void githubEscapesWhatWouldEndTheCommand() {
    assertThat(io.stochastic.devops.report.ReportFormat.valueOf("GITHUB")).isNotNull();
    CliRun run = TestUtils.cliWithStdin(BAD.replace("name: bad", "name: \"b%a\""), "audit", "-",
        "-o", "github");
    assertThat(run.out()).contains("shop/Pod/b%25a");
  }

  @Test
  void markdownSummaryForCiStepSummaries() throws IOException {
    write("good.yaml", GOOD);
    write("bad.yaml", BAD);
    CliRun run = cli("audit", dir.toString(), "-o", "markdown");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("## kube-devops audit: ")
        .contains("| Workload | Namespace | Score | Failed |")
        .contains("| Deployment good | shop | 100 Healthy | 0 |")
        .contains("| critical | `runAsPrivileged` | shop/Pod/bad | app | Container app runs "
            + "privileged | " + dir.resolve("bad.yaml") + ":1 |");
    assertThat(cli("audit", dir.toString(), "-o", "markdown", "--only-failed").out())
        .doesNotContain("Deployment good").contains("Pod bad");
    assertThat(cli("audit", dir.toString(), "-o", "markdown", "--summary").out())
        .doesNotContain("| Workload").contains("Failed by severity: critical 1");
  }

  @Test
  void theExamplesAuditAsTheReadmeShows() {
    CliRun run = cli("audit", "examples/");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("NAMESPACE shop").contains("NAMESPACE legacy")
        .contains("Score: ");
  }

  private static final String KINDS = "src/test/resources/workload-kinds/";

  @Test
  void customKindsDeclaredOnTheCommandLineAreAuditedLikeADeployment() throws IOException {
    CliRun run = cli("audit", KINDS + "rollout.yaml", KINDS + "knative-service.yaml",
        KINDS + "cloneset.yaml", "--workload-kind", "Rollout.argoproj.io",
        "--workload-kind", "Service.serving.knative.dev=spec.template",
        "--workload-kind", "CloneSet.apps.kruise.io=spec.template", "-o", "json");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    JsonNode report = json(run);
    assertThat(report.get("summary").get("workloads").asInt()).isEqualTo(3);
    assertThat(report.has("undeclaredWorkloadKinds")).isFalse();
    assertThat(report.get("workloads")).extracting(w -> w.get("kind").asText())
        .containsExactlyInAnyOrder("Rollout", "Service", "CloneSet");
    assertThat(report.get("workloads")).allSatisfy(w -> assertThat(w.get("findings"))
        .extracting(f -> f.get("check").asText() + "/" + f.get("container").asText())
        .contains("tagNotSpecified/app", "livenessProbeMissing/app")
        .doesNotContain("tagNotSpecified/sidecar"));
  }

  @Test
  void customKindsDeclaredByThePolicyAreAuditedLikeADeployment() throws IOException {
    CliRun run = cli("audit", KINDS + "rollout.yaml", KINDS + "knative-service.yaml",
        KINDS + "cloneset.yaml", "--policy", KINDS + "policy.yaml", "-o", "json");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    assertThat(json(run).get("summary").get("workloads").asInt()).isEqualTo(3);
  }

  @Test
  void undeclaredKindsWithAPodTemplateAreWarnedAboutAndListedInTheReport() throws IOException {
    CliRun run = cli("audit", KINDS + "rollout.yaml", KINDS + "deployment.yaml", "-o", "json");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
    assertThat(run.err()).isEqualTo("warning: 1 Rollout.argoproj.io object carries a pod "
        + "template at spec.template but Rollout is not a declared workload kind: skipped; "
        + "declare it with --workload-kind Rollout.argoproj.io=spec.template or a policy's "
        + "spec.workloadKinds" + System.lineSeparator());
    JsonNode report = json(run);
    assertThat(report.get("summary").get("workloads").asInt()).isEqualTo(1);
    assertThat(report.get("summary").get("skipped").asInt()).isEqualTo(1);
    assertThat(report.get("undeclaredWorkloadKinds")).singleElement().satisfies(k -> {
      assertThat(k.get("kind").asText()).isEqualTo("Rollout");
      assertThat(k.get("group").asText()).isEqualTo("argoproj.io");
      assertThat(k.get("podTemplatePath").asText()).isEqualTo("spec.template");
      assertThat(k.get("objects").asInt()).isEqualTo(1);
      assertThat(k.get("declaration").asText()).isEqualTo("Rollout.argoproj.io=spec.template");
    });
  }

  @Test
  void aMalformedWorkloadKindIsAUsageErrorOnOneLine() {
    CliRun run = cli("audit", KINDS + "rollout.yaml", "--workload-kind", "rollout=spec/template");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).doesNotContain("\n").startsWith("error: --workload-kind: "
        + "'rollout=spec/template': kind 'rollout' is not a kind");
  }

  private static final String ROLLOUT_CHECK_POLICY = """
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata: {name: shop, namespace: shop}
      spec:
        customChecks:
          - id: canaryWithoutPause
            kinds: [%s]
            expression: "object.spec.strategy.canary.steps.exists(s, has(s.pause))"
      """;

  @Test
  void aCustomCheckMayNameAKindDeclaredOnTheCommandLineButNotATypo() throws IOException {
    Path declared = write("declared.yaml", ROLLOUT_CHECK_POLICY.formatted("Rollout"));
    CliRun run = cli("audit", KINDS + "deployment.yaml", "--policy", declared.toString(),
        "--workload-kind", "Rollout.argoproj.io", "-o", "json");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);

    Path typo = write("typo.yaml", ROLLOUT_CHECK_POLICY.formatted("Deploymnet"));
    CliRun refused = cli("audit", KINDS + "deployment.yaml", "--policy", typo.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("error: spec.customChecks[0].kinds[0]: unknown kind "
        + "\"Deploymnet\" (did you mean Deployment?)");
  }
}
