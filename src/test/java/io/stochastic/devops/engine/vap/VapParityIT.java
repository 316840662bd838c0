package io.stochastic.devops.engine.vap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.check.Target;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.engine.vap.VapExporter.Action;
import io.stochastic.devops.engine.vap.VapExporter.Resource;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Exported ValidatingAdmissionPolicies decide as the engine does, on the real API server: every
 * catalog check that exports (under the policy the check fixtures are judged with) is applied
 * with its binding, then each document of the check's fixtures that the policy matches is
 * created with server dry run. A document the engine fails for the check must be denied by that
 * check's policy, with each of the engine's messages for it; any other must be admitted. All
 * checks' policies are applied at once; a test match condition makes each policy judge only the
 * documents sent for its check (an annotation naming it), so one check's denial never hides
 * another's verdict. The engine judges each document as the API server admits it (after
 * defaulting), as the webhook would. Documents the API server refuses as invalid are listed, not
 * compared; every exported check must have an admitted and a denied one. A check that cannot
 * reach parity is excluded by {@code VapExporter.NO_PARITY} with its reason (oneController: the
 * API server refuses every object it fails), and so never appears here.
 */
@IntegrationTest
class VapParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Our fixtures and Polaris's (each document is compared with the engine's own verdict). */
  private static final List<Path> FIXTURES = List.of(Path.of("src/test/resources/checks"),
      Path.of("src/test/resources/conformance/polaris/checks"));
  private static final Path POLICY = Path.of("src/test/resources/conformance/policy.yaml");
  private static final String CHECK_ANNOTATION = "parity.kube-devops.test/check";

  /** One document of a fixture, sent for one check, and what the engine says of it. */
  private record Case(String check, String fixture, Map<String, Object> document,
      Resource resource, List<String> engineFailures) {
    String describe() {
      Map<?, ?> metadata = (Map<?, ?>) document.get("metadata");
      return check + " " + fixture + " " + document.get("kind") + "/" + metadata.get("name");
    }
  }

  private enum Outcome { ADMITTED, DENIED, INVALID }

  private record Answer(Outcome outcome, String message) {}

  @Test
  void exportedPoliciesDecideAsTheEngine(KubernetesClient client, TestingNamespace namespace)
      throws Exception {
    long started = System.nanoTime();
    EffectivePolicy policy = TestUtils.resolver().resolve(
        TestUtils.policy(Files.readString(POLICY)), POLICY.toString());
    VapExporter exporter = new VapExporter(TestUtils.celEnvironment(),
        EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
    VapExporter.Export export = exporter.export(policy, "conformance", null, Action.DENY);
    List<String> exported = export.objects().stream()
        .filter(o -> VapExporter.POLICY_KIND.equals(o.get("kind"))).map(VapParityIT::check)
        .toList();
    assertThat(exported).as("checks exported").hasSizeGreaterThan(20);
    // Polaris's passing priorityClassNotSet fixture names this class: admission checks it exists.
    client.resource("{\"apiVersion\": \"scheduling.k8s.io/v1\", \"kind\": \"PriorityClass\", "
        + "\"metadata\": {\"name\": \"high-priority\"}, \"value\": 1000}").createOr(
            r -> r.update());

    // What the engine says is judged on the object as admission sees it: after the API
    // server's defaulting (an image without a tag gets imagePullPolicy Always), as the webhook
    // sees it too. Each document is sent once before any policy exists to learn that object.
    List<Case> cases = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (String check : exported) {
      cases.addAll(cases(check, policy, namespace.name(), client, invalid));
    }

    for (Map<String, Object> object : export.objects()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) object.get("spec");
      if (VapExporter.POLICY_KIND.equals(object.get("kind"))) {
        @SuppressWarnings("unchecked")
        List<Object> conditions = new ArrayList<>((List<Object>) spec.get("matchConditions"));
        conditions.add(Map.of("name", "parity-test", "expression",
            "object.metadata.?annotations[?'" + CHECK_ANNOTATION + "'].orValue('') == '"
                + check(object) + "'"));
        spec.put("matchConditions", conditions);
      } else {
        spec.put("validationActions", List.of("Deny"));
      }
      client.resource(JSON.writeValueAsString(object)).create();
    }

    // Policies take effect asynchronously: each check's first failing document is a probe,
    // sent until its policy denies it. A probe the policy admits for good is a disagreement
    // the comparison below reports: waiting stops once no probe was denied for 5 s.
    Map<String, Case> probes = new LinkedHashMap<>();
    cases.stream().filter(c -> !c.engineFailures().isEmpty())
        .forEach(c -> probes.putIfAbsent(c.check(), c));
    long[] lastProgress = {System.nanoTime()};
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
        if (probes.values().removeIf(
            probe -> send(client, namespace.name(), probe.document(), probe.resource())
                .outcome() == Outcome.DENIED)) {
          lastProgress[0] = System.nanoTime();
        }
        return probes.isEmpty()
            || System.nanoTime() - lastProgress[0] >= TimeUnit.SECONDS.toNanos(5);
      });
    } catch (ConditionTimeoutException e) {
      // still progressing after 30 s: the comparison below names what is still admitted
    }

    ExecutorService pool = Executors.newFixedThreadPool(8);
    Map<Case, Answer> answers = new IdentityHashMap<>();
    try {
      Map<Case, Future<Answer>> futures = new IdentityHashMap<>();
      for (Case c : cases) {
        futures.put(c, pool.submit(() -> send(client, namespace.name(), c.document(),
            c.resource())));
      }
      for (Case c : cases) {
        answers.put(c, futures.get(c).get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> disagreements = new ArrayList<>();
    Map<String, int[]> judged = new TreeMap<>();
    for (Case c : cases) {
      Answer answer = answers.get(c);
      boolean engineFails = !c.engineFailures().isEmpty();
      switch (answer.outcome()) {
        case INVALID -> invalid.add(c.describe() + ": " + answer.message());
        case ADMITTED -> {
          judged.computeIfAbsent(c.check(), k -> new int[2])[0]++;
          if (engineFails) {
            disagreements.add(c.describe() + ": admitted, the engine fails it with "
                + c.engineFailures());
          }
        }
        case DENIED -> {
          judged.computeIfAbsent(c.check(), k -> new int[2])[1]++;
          if (!engineFails) {
            disagreements.add(c.describe() + ": denied (" + answer.message()
                + "), the engine passes it");
          } else {
            for (String message : c.engineFailures()) {
              if (!answer.message().contains(message)) {
                disagreements.add(c.describe() + ": denied with \"" + answer.message()
                    + "\", not with the engine's \"" + message + "\"");
              }
            }
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    List<String> unproven = new ArrayList<>();
    for (String check : exported) {
      int[] counts = judged.getOrDefault(check, new int[2]);
      if (counts[0] == 0 || counts[1] == 0) {
        unproven.add(check + " (" + counts[0] + " admitted, " + counts[1] + " denied)");
      }
    }
    System.out.printf("VapParityIT: %d checks exported, %d documents judged, %d invalid, %d "
        + "disagreements, %d ms%n", exported.size(), cases.size(), invalid.size(),
        disagreements.size(), (System.nanoTime() - started) / 1_000_000);
    invalid.forEach(line -> System.out.println("  not judged (invalid): " + line));
    assertThat(disagreements).as("disagreements between the API server and the engine:\n%s",
        String.join("\n", disagreements)).isEmpty();
    assertThat(unproven).as("exported checks without an admitted and a denied fixture")
        .isEmpty();
  }

  /**
   * A custom check of a namespace's policy, with an exemption and the exemption annotation: the
   * API server denies in the policy's namespace only, what the exemptions do not cover.
   */
  @Test
  void aCustomChecksPolicyHonoursExemptionsAndItsNamespace(KubernetesClient client,
      TestingNamespace namespace) throws Exception {
    EffectivePolicy policy = TestUtils.resolve("""
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: team}
        spec:
          bundle: permissive
          exemptions:
            - checks: [teamLabelMissing]
              names: ["legacy-*"]
          customChecks:
            - id: teamLabelMissing
              target: workload
              severity: high
              kinds: [Deployment]
              expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
              message: "${kind} ${name} has no team label"
        """);
    VapExporter.Export export = new VapExporter(TestUtils.celEnvironment(),
        EngineSettings.DEFAULT_SYSTEM_NAMESPACES).export(policy, "team", namespace.name(),
        Action.DENY);
    for (Map<String, Object> object : export.objects()) {
      if (check(object).equals("teamLabelMissing")) {
        client.resource(JSON.writeValueAsString(object)).create();
      }
    }
    Resource deployments = VapExporter.resource("Deployment").orElseThrow();
    Map<String, Object> api = deployment("api", Map.of(), Map.of());
    // the policy takes effect once the API server's policy cache has it
    Answer answer = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> send(client, namespace.name(), api, deployments),
            a -> a.outcome() != Outcome.ADMITTED);
    assertThat(answer.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(answer.message()).contains("Deployment api has no team label");
    assertThat(send(client, namespace.name(), deployment("legacy-api", Map.of(), Map.of()),
        deployments).outcome()).as("exempted by name").isEqualTo(Outcome.ADMITTED);
    assertThat(send(client, namespace.name(), deployment("api", Map.of(),
        Map.of("devops.stochastic.io/exempt-checks", "other, teamLabelMissing")), deployments)
        .outcome()).as("exempted by annotation").isEqualTo(Outcome.ADMITTED);
    assertThat(send(client, namespace.name(), deployment("api", Map.of("team", "shop"),
        Map.of()), deployments).outcome()).as("labelled").isEqualTo(Outcome.ADMITTED);
    assertThat(send(client, "default", api, deployments).outcome())
        .as("in another namespace").isEqualTo(Outcome.ADMITTED);
  }

  private static Map<String, Object> deployment(String name, Map<String, Object> labels,
      Map<String, Object> annotations) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("labels", labels);
    metadata.put("annotations", annotations);
    return Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata", metadata,
        "spec", Map.of("selector", Map.of("matchLabels", Map.of("app", name)),
            "template", Map.of("metadata", Map.of("labels", Map.of("app", name)),
                "spec", Map.of("containers", List.of(Map.of("name", "app",
                    "image", "registry.example.com/app:1.0.0"))))));
  }

  private static String check(Map<String, Object> object) {
    return String.valueOf(((Map<?, ?>) ((Map<?, ?>) object.get("metadata")).get("labels"))
        .get(VapExporter.CHECK_LABEL));
  }

  /**
   * The documents of a check's fixtures its policy matches, with the engine's verdicts on them
   * as the API server admits them (documents it finds invalid go to {@code invalid}).
   */
  @SuppressWarnings("unchecked")
  private static List<Case> cases(String check, EffectivePolicy policy, String namespace,
      KubernetesClient client, List<String> invalid) throws Exception {
    CheckDefinition definition = TestUtils.catalog().find(check).orElseThrow();
    List<Case> cases = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (Path root : FIXTURES) {
      Path directory = root.resolve(check);
      if (Files.isDirectory(directory)) {
        try (Stream<Path> list = Files.list(directory)) {
          list.filter(p -> {
            String name = p.getFileName().toString();
            return name.endsWith(".yaml") && (name.startsWith("success")
                || name.startsWith("failure"));
          }).sorted().forEach(files::add);
        }
      }
    }
    for (Path file : files) {
      String fixture = FIXTURES.get(0).getParent().getParent().relativize(file).toString();
      List<KubeObject> objects = new ArrayList<>();
      Map<KubeObject, Map<String, Object>> sent = new IdentityHashMap<>();
      for (KubeObject read : TestUtils.read(file).objects()) {
        Map<String, Object> document = JSON.convertValue(read.content(), Map.class);
        String kind = String.valueOf(document.get("kind"));
        Optional<Resource> resource = VapExporter.resource(kind);
        boolean matched = definition.target() == Target.OBJECT
            ? definition.appliesToObjectKind(kind) : definition.appliesToWorkloadKind(kind);
        if (!matched || resource.isEmpty()) {
          objects.add(new KubeObject(document, file.toString(), namespace));
          continue;
        }
        Map<String, Object> metadata = (Map<String, Object>) document.computeIfAbsent(
            "metadata", k -> new LinkedHashMap<>());
        metadata.remove("namespace");
        if (resource.get().clusterScoped()) {
          // Built-in ClusterRoles (admin, edit) exist: a fixture's must not collide.
          metadata.put("name", "parity-" + metadata.get("name"));
        } else {
          metadata.put("namespace", namespace);
        }
        String group = resource.get().group();
        if (!group.isEmpty() && !String.valueOf(document.get("apiVersion")).contains("/")) {
          document.put("apiVersion", group + "/v1"); // written loosely as v1
        }
        Map<String, Object> annotations = metadata.get("annotations") instanceof Map<?, ?> a
            ? new LinkedHashMap<>((Map<String, Object>) a) : new LinkedHashMap<>();
        annotations.put(CHECK_ANNOTATION, check);
        metadata.put("annotations", annotations);
        Answer admitted = send(client, namespace, document, resource.get());
        if (admitted.outcome() != Outcome.ADMITTED) {
          invalid.add(check + " " + fixture + " " + kind + "/" + metadata.get("name") + ": "
              + admitted.message());
          continue;
        }
        // Read as the engine reads manifests (integers as longs...).
        KubeObject defaulted = TestUtils.readYaml(file.toString(), admitted.message()).objects()
            .get(0);
        KubeObject object = new KubeObject(defaulted.content(), file.toString(), namespace);
        objects.add(object);
        sent.put(object, document);
      }
      AuditResult result = TestUtils.engineWithoutSystemNamespaces().audit(
          new ObjectSet(objects), ns -> policy);
      for (KubeObject object : objects) {
        Map<String, Object> document = sent.get(object);
        if (document == null) {
          continue;
        }
        List<String> failures = result.subjects().stream().filter(s -> s.object() == object)
            .map(SubjectResult::results).flatMap(List::stream)
            .filter(r -> r.check().equals(check) && !r.passed())
            .map(CheckResult::message).toList();
        cases.add(new Case(check, fixture, document, VapExporter.resource(object.kind())
            .orElseThrow(), failures));
      }
    }
    return cases;
  }

  /** Creates the document with server dry run; an admitted one's answer is the object. */
  private static Answer send(KubernetesClient client, String namespace,
      Map<String, Object> document, Resource resource) {
    String version = String.valueOf(document.get("apiVersion"));
    String base = resource.group().isEmpty() ? "/api/" + version : "/apis/" + version;
    String path = base + (resource.clusterScoped() ? "" : "/namespaces/" + namespace) + "/"
        + resource.plural() + "?dryRun=All";
    HttpClient http = client.getHttpClient();
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + path;
    HttpResponse<String> response;
    try {
      response = http.sendAsync(http.newHttpRequestBuilder().uri(url)
          .post("application/json", JSON.writeValueAsString(document)).build(), String.class)
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("dry run of " + document.get("kind") + " failed", e);
    }
    if (response.code() < 300) {
      return new Answer(Outcome.ADMITTED, response.body());
    }
    String message;
    try {
      JsonNode status = JSON.readTree(response.body());
      message = status.path("message").asText(response.body());
    } catch (Exception e) {
      message = response.body();
    }
    return response.code() == 403 && message.contains("ValidatingAdmissionPolicy")
        ? new Answer(Outcome.DENIED, message)
        : new Answer(Outcome.INVALID, response.code() + " " + message);
  }
}
