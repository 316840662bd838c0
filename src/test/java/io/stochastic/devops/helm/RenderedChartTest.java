package io.stochastic.devops.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Helm's output split back into templates: sources, document indexes and template lines. */
class RenderedChartTest {
  @TempDir
  Path dir;

  private List<String> read(Path chart, String output) {
    ManifestBatch batch = new ManifestBatch();
    new RenderedChart(chart, output).readInto(new ManifestReader(ReadLimits.DEFAULT, "default"),
        batch);
    assertThat(batch.invalid()).isEmpty();
    return batch.objects().stream().map(o -> o.kind() + "/" + o.name() + " " + o.source() + ":"
        + o.line()).toList();
  }

  private void template(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void sourcesAreTemplatePathsUnderTheDirectoryGivenWhateverTheChartIsCalled()
      throws IOException {
    // The chart is called "shop" in Chart.yaml but lives in "web"; a subchart's templates are
    // under charts/, and a packaged subchart's (no file to read) get no line.
    template("web/templates/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
    template("web/charts/cache/templates/sts.yaml",
        "# cache\n{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: StatefulSet\n{{- end }}\n");
    String output = """
        ---
        # Source: shop/templates/deploy.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        ---
        # Source: shop/charts/cache/templates/sts.yaml
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: cache}
        ---
        # Source: shop/charts/db-1.0.0.tgz/templates/sts.yaml
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        """;
    Path chart = dir.resolve("web");
    assertThat(read(chart, output)).containsExactly(
        "Deployment/web " + chart + "/templates/deploy.yaml#0:1",
        "StatefulSet/cache " + chart + "/charts/cache/templates/sts.yaml#0:3",
        "StatefulSet/db " + chart + "/charts/db-1.0.0.tgz/templates/sts.yaml#0:0");
  }

  @Test
  void documentsOfOneTemplateAreIndexedInOutputOrderAndPlacedByKind() throws IOException {
    // Helm orders by kind (the ConfigMap before the Deployment), and a loop makes several
    // documents from one section: each is placed at the section of its kind.
    template("c/templates/app.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        ---
        {{- range .Values.configs }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ . }}}
        {{- end }}
        """);
    String output = """
        ---
        # Source: c/templates/app.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: one}
        ---
        # Source: c/templates/app.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: two}
        ---
        # Source: c/templates/app.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        """;
    Path chart = dir.resolve("c");
    String app = chart + "/templates/app.yaml";
    assertThat(read(chart, output)).containsExactly(
        "ConfigMap/one " + app + "#0:7",
        "ConfigMap/two " + app + "#1:7",
        "Deployment/app " + app + "#2:1");
  }

  @Test
  void aKindTheTemplateComputesIsPlacedAtItsOnlySectionOrNowhere() throws IOException {
    template("k/templates/one.yaml", "apiVersion: v1\nkind: {{ .Values.kind }}\n");
    template("k/templates/two.yaml", "apiVersion: v1\nkind: {{ .Values.kind }}\n---\n"
        + "apiVersion: v1\nkind: {{ .Values.kind }}\n");
    String output = """
        ---
        # Source: k/templates/one.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: one}
        ---
        # Source: k/templates/two.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: two}
        """;
    Path chart = dir.resolve("k");
    assertThat(read(chart, output)).containsExactly(
        "ConfigMap/one " + chart + "/templates/one.yaml#0:1",
        "ConfigMap/two " + chart + "/templates/two.yaml#0:0");
  }

  @Test
  void nothingRenderedIsNoObject() {
    assertThat(read(dir, "")).isEmpty();
    assertThat(new RenderedChart(dir, "---\n").templates()).isEmpty();
  }
}
