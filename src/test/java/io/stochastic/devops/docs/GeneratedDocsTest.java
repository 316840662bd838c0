package io.stochastic.devops.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.deploy.Component;
import io.stochastic.devops.engine.check.CheckDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README and docs/ stay true to the code: the generated pages are what the code generates. */
class GeneratedDocsTest {
  private static final boolean UPDATE = Boolean.getBoolean("kube-devops.update-docs");

  private static void assertGenerated(Path file, String generated) throws IOException {
    if (UPDATE) {
      Files.writeString(file, generated);
    }
    assertThat(Files.exists(file) ? Files.readString(file) : "")
        .as(file + " is stale: run ./mvnw test -Dtest=GeneratedDocsTest "
            + "-Dkube-devops.update-docs=true")
        .isEqualTo(generated);
  }

  @Test
  void checkCatalogIsCurrent() throws IOException {
    assertGenerated(GeneratedDocs.CHECKS, GeneratedDocs.checks());
  }

  /** docs/vap.md's table of which checks export is the exporter's verdict. */
  @Test
  void vapTableIsCurrent() throws IOException {
    assertGenerated(GeneratedDocs.VAP, GeneratedDocs.withSection(
        Files.readString(GeneratedDocs.VAP), "vap checks", GeneratedDocs.vapTable()));
  }

  @Test
  void cliReferenceIsCurrent() throws IOException {
    assertGenerated(GeneratedDocs.CLI, GeneratedDocs.cli());
  }

  /** The metrics, dashboard and alerts tables are the definitions'. */
  @Test
  void observabilityTablesAreCurrent() throws IOException {
    assertGenerated(GeneratedDocs.OBSERVABILITY,
        GeneratedDocs.observability(Files.readString(GeneratedDocs.OBSERVABILITY)));
  }

  /** The RBAC tables of the docs are the generator's rules. */
  @Test
  void rbacTablesAreCurrent() throws IOException {
    Path deploy = Path.of("docs/deploy.md");
    String page = Files.readString(deploy);
    for (Component component : Component.values()) {
      page = GeneratedDocs.withSection(page, "rbac " + component.id(), GeneratedDocs.rbacTable(component));
    }
    assertGenerated(deploy, page);
    Map<String, Component> pages = Map.of("docs/operator.md", Component.OPERATOR,
        "docs/gitops.md", Component.SYNC, "docs/auditor.md", Component.AUDITOR);
    for (Map.Entry<String, Component> entry : pages.entrySet()) {
      Path file = Path.of(entry.getKey());
      assertGenerated(file, GeneratedDocs.withSection(Files.readString(file),
          "rbac " + entry.getValue().id(), GeneratedDocs.rbacTable(entry.getValue())));
    }
  }

  @Test
  void readmeSampleAuditIsWhatTheExamplesGive() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int intro = readme.indexOf("A first audit looks like this");
    int start = readme.indexOf("```\n", intro) + 4;
    List<String> sample = readme.substring(start, readme.indexOf("\n```", start)).lines()
        .filter(line -> !line.equals("...")).toList();
    List<String> audit = TestUtils.cli("audit", "examples/").out().lines().toList();
    assertThat(audit).as("README's sample audit of examples/, abridged only by '...'")
        .containsSubsequence(sample);
  }

  @Test
  void everyCheckOffInBaselineSaysWhy() throws IOException {
    var reasons = GeneratedDocs.baselineReasons();
    var baseline = TestUtils.bundle("baseline");
    for (CheckDefinition c : TestUtils.catalog().definitions()) {
      if (baseline.check(c.id()).isEmpty()) {
        assertThat(reasons.get(c.id())).as("reason in baseline.yaml for turning %s off", c.id())
            .isNotBlank();
      }
    }
  }
}
