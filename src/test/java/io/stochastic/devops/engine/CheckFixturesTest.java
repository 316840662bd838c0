package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.check.CheckCatalog;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.check.CheckDefinitionParser;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.remediation.RemediationPlan;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The check table test (Polaris style): every {@code failure*} fixture must fail its check,
 * every {@code success*} fixture must pass it, and a remediable check's patch applied to a
 * failure must give an object that passes (equal to {@code mutated*} where present). It walks
 * Polaris's conformance fixtures and kube-devops's own ({@code src/test/resources/checks/}).
 */
class CheckFixturesTest {
  static final Path POLARIS = Path.of("src/test/resources/conformance/polaris/checks");
  static final Path OWN = Path.of("src/test/resources/checks");
  /** CEL translations of the check.yaml some Polaris fixture directories define for themselves. */
  static final Path OVERRIDES = Path.of("src/test/resources/conformance/overrides");
  static final Path POLICY = Path.of("src/test/resources/conformance/policy.yaml");
  /** Polaris fixtures whose verdict kube-devops deliberately does not share, with the reason. */
  static final Path DIVERGENCES = Path.of("src/test/resources/conformance/divergences.yaml");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void everyPolarisCheckHasAKubeDevopsCheckOfTheSameId() throws IOException {
    Set<String> missing = new TreeSet<>(checkDirectories(POLARIS));
    missing.removeIf(id -> TestUtils.catalog().contains(id));
    assertThat(missing).as("Polaris checks with no kube-devops check of the same id").isEmpty();
  }

  @Test
  void everyCatalogCheckHasAFailingAndAPassingFixture() throws IOException {
    List<String> uncovered = new ArrayList<>();
    for (CheckDefinition check : TestUtils.catalog().definitions()) {
      boolean failure = hasFixture(check.id(), "failure");
      boolean success = hasFixture(check.id(), "success");
      if (!failure || !success) {
        uncovered.add(check.id() + (failure ? "" : " (no failure fixture)")
            + (success ? "" : " (no success fixture)"));
      }
    }
    assertThat(uncovered).as("checks without fixtures in " + OWN + " or " + POLARIS).isEmpty();
  }

  @Test
  void everyDivergenceNamesAPolarisFixtureAVerdictAndAReason() throws IOException {
    for (Map<String, String> divergence : divergences().values()) {
      String fixture = divergence.get("fixture");
      assertThat(POLARIS.resolve(fixture)).as("divergent fixture").isRegularFile();
      String expected = fixture.substring(fixture.indexOf('/') + 1).startsWith("failure")
          ? "passes" : "fails";
      assertThat(divergence.get("verdict")).as("verdict of %s", fixture).isEqualTo(expected);
      assertThat(divergence.get("reason")).as("reason of %s", fixture).isNotBlank();
    }
  }

  @TestFactory
  Stream<DynamicNode> polarisConformance() throws IOException {
    return fixtureTree(POLARIS);
  }

  @TestFactory
  Stream<DynamicNode> ownFixtures() throws IOException {
    return fixtureTree(OWN);
  }

  private Stream<DynamicNode> fixtureTree(Path root) throws IOException {
    List<DynamicNode> nodes = new ArrayList<>();
    Map<String, Map<String, String>> divergences = root == POLARIS ? divergences() : Map.of();
    for (String id : checkDirectories(root)) {
      Path directory = root.resolve(id);
      PolicyResolver resolver = resolverFor(id, root == POLARIS);
      EffectivePolicy policy = resolver.resolve(TestUtils.policy(Files.readString(POLICY)),
          POLICY.toString());
      List<DynamicNode> tests = new ArrayList<>();
      for (Path file : fixtures(directory)) {
        String name = file.getFileName().toString();
        Map<String, String> divergence = divergences.get(id + "/" + name);
        if (divergence != null) {
          boolean passes = divergence.get("verdict").equals("passes");
          tests.add(DynamicTest.dynamicTest(name + (passes ? " passes" : " fails")
              + " (diverges from Polaris, see " + DIVERGENCES.getFileName() + ")",
              () -> {
                if (passes) {
                  assertPasses(id, file, policy);
                } else {
                  assertFails(id, file, policy);
                }
              }));
        } else if (name.startsWith("failure")) {
          tests.add(DynamicTest.dynamicTest(name + " fails",
              () -> assertFails(id, file, policy)));
          tests.add(DynamicTest.dynamicTest(name + " is remediated",
              () -> assertRemediated(id, file, policy)));
        } else if (name.startsWith("success")) {
          tests.add(DynamicTest.dynamicTest(name + " passes", () -> assertPasses(id, file, policy)));
        }
      }
      nodes.add(DynamicContainer.dynamicContainer(id, tests));
    }
    return nodes.stream();
  }

  private static void assertFails(String id, Path file, EffectivePolicy policy) {
    List<CheckResult> results = resultsOf(id, audit(file, policy));
    assertThat(results).as("results of %s on %s", id, file)
        .anyMatch(r -> !r.passed() && !r.error());
    assertThat(results).as("evaluation errors of %s on %s", id, file).noneMatch(CheckResult::error);
  }

  private static void assertPasses(String id, Path file, EffectivePolicy policy) {
    List<CheckResult> results = resultsOf(id, audit(file, policy));
    assertThat(results).as("failed results of %s on %s", id, file).allMatch(CheckResult::passed);
  }

  private static void assertRemediated(String id, Path file, EffectivePolicy policy)
      throws IOException {
    if (policy.check(id).map(c -> !c.remediable()).orElse(true)) {
      return; // no fix exists for this check: nothing to apply
    }
    ObjectSet objects = TestUtils.read(file).toObjectSet();
    AuditResult before = engine().audit(objects, ns -> policy);
    List<KubeObject> patched = new ArrayList<>();
    List<JsonNode> fixedObjects = new ArrayList<>();
    for (KubeObject object : objects.objects()) {
      SubjectResult subject = before.subjects().stream().filter(s -> s.object() == object)
          .findFirst().orElse(null);
      List<CheckResult> failures = subject == null ? List.of() : subject.failures().stream()
          .filter(r -> r.check().equals(id)).toList();
      if (failures.isEmpty()) {
        patched.add(object);
        continue;
      }
      RemediationPlan plan = new Remediator().plan(object, failures, policy);
      assertThat(plan.isEmpty()).as("patch for %s on %s", id, object).isFalse();
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = JSON.convertValue(plan.patched(), Map.class);
      patched.add(new KubeObject(tree, object.source() + " (remediated)", "default"));
      fixedObjects.add(plan.patched());
    }
    AuditResult after = engine().audit(new ObjectSet(patched), ns -> policy);
    assertThat(resultsOf(id, after)).as("%s after remediation of %s", id, file)
        .allMatch(CheckResult::passed);

    Path mutated = file.resolveSibling(file.getFileName().toString()
        .replaceFirst("^failure", "mutated"));
    if (Files.exists(mutated)) {
      List<JsonNode> expected = new ArrayList<>();
      for (KubeObject object : TestUtils.read(mutated).objects()) {
        expected.add(normalize(JSON.valueToTree(object.content())));
      }
      List<JsonNode> actual = fixedObjects.stream().map(CheckFixturesTest::normalize).toList();
      if (!expected.equals(actual)) {
        fail("remediation of " + file + " differs from " + mutated + "\nexpected:\n"
            + YAML.writeValueAsString(expected) + "actual:\n" + YAML.writeValueAsString(actual));
      }
    }
  }

  private static AuditResult audit(Path file, EffectivePolicy policy) {
    var batch = TestUtils.read(file);
    assertThat(batch.invalid()).as("unreadable documents in %s", file).isEmpty();
    return engine().audit(batch.toObjectSet(), ns -> policy);
  }

  private static Engine engine() {
    return TestUtils.engineWithoutSystemNamespaces();
  }

  private static List<CheckResult> resultsOf(String id, AuditResult audit) {
    return audit.subjects().stream().flatMap(s -> s.results().stream())
        .filter(r -> r.check().equals(id)).toList();
  }

  /** Empty objects and lists carry no meaning for a comparison; key order neither. */
  private static JsonNode normalize(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        JsonNode child = normalize(node.get(name));
        if (!(child.isContainerNode() && child.isEmpty())) {
          copy.set(name, child);
        }
      }
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        copy.add(normalize(it.next()));
      }
      return copy;
    }
    return node;
  }

  /** The catalog, with the fixture directory's own check definition where it has one. */
  private static PolicyResolver resolverFor(String id, boolean polaris) throws IOException {
    Path override = OVERRIDES.resolve(id + ".yaml");
    if (!polaris || !Files.exists(override)) {
      return TestUtils.resolver();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = YAML.readValue(override.toFile(), Map.class);
    CheckDefinition replacement = CheckDefinitionParser.parse(override.toString(), map, false);
    List<CheckDefinition> definitions = TestUtils.catalog().definitions().stream()
        .map(d -> d.id().equals(id) ? replacement : d).toList();
    return new PolicyResolver(new CheckCatalog(definitions, TestUtils.celEnvironment()),
        TestUtils.bundles());
  }

  /** The recorded divergences by fixture ({@code <checkId>/<file>}). */
  private static Map<String, Map<String, String>> divergences() throws IOException {
    if (!Files.exists(DIVERGENCES)) {
      return Map.of();
    }
    List<Map<String, String>> list = YAML.readValue(DIVERGENCES.toFile(),
        YAML.getTypeFactory().constructCollectionType(List.class,
            YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class)));
    return list.stream().collect(Collectors.toMap(d -> d.get("fixture"), d -> d));
  }

  private static boolean hasFixture(String id, String prefix) throws IOException {
    for (Path root : List.of(POLARIS, OWN)) {
      Path directory = root.resolve(id);
      if (Files.isDirectory(directory)
          && fixtures(directory).stream().anyMatch(f -> f.getFileName().toString()
              .startsWith(prefix))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> checkDirectories(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(root)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<Path> fixtures(Path directory) throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
