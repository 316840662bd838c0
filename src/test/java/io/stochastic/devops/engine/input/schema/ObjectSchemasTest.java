package io.stochastic.devops.engine.input.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.engine.input.InvalidDocument;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest under {@code src/test/resources/schema/} validated as the offline audit does,
 * against what its header says: {@code # expect: valid}, {@code # expect-error: TEXT} (the
 * document is refused with a line containing TEXT) or {@code # expect-warning: TEXT} (read, with
 * a warning containing TEXT), and {@code # strict: error} when --strict turns that warning into
 * an error. The CRDs under {@code crds/} are added as --crd would add them.
 */
class ObjectSchemasTest {
  private static final Path CASES = Path.of("src/test/resources/schema");
  private static final ManifestReader READER = new ManifestReader(ReadLimits.DEFAULT, "default");

  private static ObjectSchemas schemas() {
    ManifestBatch crds = new ManifestBatch();
    READER.readPath(CASES.resolve("crds"), crds);
    return ObjectSchemas.kubernetes().withCustomResourceDefinitions(crds.objects());
  }

  private static ManifestBatch validated(Path file, ObjectSchemas schemas) {
    ManifestBatch batch = READER.read(List.of(file.toString()), InputStream.nullInputStream());
    assertThat(batch.invalid()).as("parse errors").isEmpty();
    batch.validate(schemas);
    return batch;
  }

  @TestFactory
  Stream<DynamicTest> eachCaseIsJudgedAsItsHeaderSays() throws IOException {
    ObjectSchemas schemas = schemas();
    List<Path> files;
    try (Stream<Path> list = Files.list(CASES)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(15);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> {
          List<String> header = Files.readAllLines(file).stream()
              .takeWhile(l -> l.startsWith("#")).toList();
          ManifestBatch batch = validated(file, schemas);
          List<String> errors = batch.invalid().stream().map(InvalidDocument::toString).toList();
          for (String line : header) {
            if (line.startsWith("# expect: valid")) {
              assertThat(errors).as("errors").isEmpty();
              assertThat(batch.warnings()).as("warnings").isEmpty();
            } else if (line.startsWith("# expect-error: ")) {
              assertThat(errors).as("errors").singleElement().asString()
                  .startsWith(file.toString())
                  .contains(line.substring("# expect-error: ".length()));
            } else if (line.startsWith("# expect-warning: ")) {
              assertThat(errors).as("errors").isEmpty();
              assertThat(batch.warnings()).singleElement().asString()
                  .contains(line.substring("# expect-warning: ".length()))
                  .contains("--strict");
            } else if (line.startsWith("# strict: error")) {
              ManifestBatch strict = validated(file, schemas.strict(true));
              assertThat(strict.invalid()).as("errors under --strict").hasSize(1);
              assertThat(strict.objects()).isEmpty();
            }
          }
          assertThat(header).as("an expectation in the header")
              .anyMatch(l -> l.startsWith("# expect"));
        }));
  }

  @Test
  void withoutItsCrdACustomResourceIsNotValidated() throws IOException {
    ManifestBatch batch = validated(CASES.resolve("crd.rollout-invalid.yaml"),
        ObjectSchemas.kubernetes());
    assertThat(batch.invalid()).isEmpty();
    assertThat(batch.warnings()).isEmpty();
    assertThat(batch.objects()).hasSize(1);
  }

  @Test
  void theBundledSchemaIsTheTestedKubernetesVersion() {
    assertThat(ObjectSchemas.kubernetes().kubernetesVersion())
        .isEqualTo(System.getProperty("kube-devops.test.kube-version",
            ObjectSchemas.kubernetes().kubernetesVersion()));
  }
}
