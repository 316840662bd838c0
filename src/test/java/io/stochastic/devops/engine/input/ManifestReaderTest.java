package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir
  Path dir;

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
        template:
          spec:
            containers:
              - name: nginx
                image: nginx:1.27
      """;

  private final ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, "default");

  private ManifestBatch read(Path... paths) {
    ManifestBatch batch = new ManifestBatch();
    for (Path p : paths) {
      reader.readPath(p, batch);
    }
    return batch;
  }

  @Test
  void readsEveryDocumentOfAStreamWithItsIndexAndLine() throws IOException {
    Path file = Files.writeString(dir.resolve("app.yaml"), "# comment only\n---\n" + DEPLOYMENT
        + "---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n");
    ManifestBatch batch = read(file);
    assertThat(batch.invalid()).isEmpty();
    assertThat(batch.objects()).extracting(KubeObject::kind).containsExactly("Deployment",
        "Service");
    // YAML numbering: a comment-only preamble is no document; an explicit empty one is.
    assertThat(batch.objects().get(0).source()).isEqualTo(file + "#0");
    assertThat(batch.objects().get(0).line()).isEqualTo(3);
    assertThat(batch.objects().get(1).source()).isEqualTo(file + "#2");
    assertThat(batch.objects().get(0).namespace()).isEqualTo("default");
  }

  @Test
  void integersAreLongsForCel() throws IOException {
    Path file = Files.writeString(dir.resolve("app.yaml"), DEPLOYMENT);
    Map<String, Object> spec = KubeObject.mapAt(read(file).objects().get(0).content(), "spec");
    assertThat(spec.get("replicas")).isEqualTo(3L);
  }

  @Test
  void unwrapsListObjectsAndReadsJson() throws IOException {
    Path file = Files.writeString(dir.resolve("pods.json"), """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"}},
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "x"}}]}
        """);
    ManifestBatch batch = read(file);
    assertThat(batch.objects()).extracting(KubeObject::name).containsExactly("a", "b");
    assertThat(batch.objects().get(1).source()).isEqualTo(file + "#0.items[1]");
  }

  @Test
  void walksDirectoriesRecursivelyForManifestExtensionsOnly() throws IOException {
    Files.createDirectories(dir.resolve("b/nested"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("b/nested/z.yml"), DEPLOYMENT.replace("web", "z"));
    Files.writeString(dir.resolve("a.yaml"), DEPLOYMENT.replace("web", "a"));
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    Files.writeString(dir.resolve(".git/config.yaml"), "not: [a manifest");
    ManifestBatch batch = read(dir);
    assertThat(batch.invalid()).isEmpty();
    assertThat(batch.objects()).extracting(KubeObject::name).containsExactly("a", "z");
  }

  private static final Path KUSTOMIZE = Path.of("src/test/resources/input/kustomize");

  private ManifestBatch readSkippingKustomizations(Path path) {
    ManifestBatch batch = new ManifestBatch();
    reader.skippingKustomizations().readPath(path, batch);
    return batch;
  }

  @Test
  void kustomizationsAreSkippedWithOneWarningEachNamingTheCommandThatBuildsThem() {
    ManifestBatch batch = readSkippingKustomizations(KUSTOMIZE);
    assertThat(batch.invalid()).isEmpty();
    // The overlay's patches, the base's ${image} and the component are not judged as workloads.
    assertThat(batch.objects()).extracting(KubeObject::name).containsExactly("web");
    assertThat(batch.warnings()).containsExactly(
        KUSTOMIZE.resolve("payments team") + ": a Kustomize directory: its 1 manifest file was"
            + " not audited (patches and bases are not the objects applied); audit what it "
            + "builds instead: kubectl kustomize '" + KUSTOMIZE.resolve("payments team")
            + "' | kube-devops audit -",
        KUSTOMIZE.resolve("shop/base") + ": a Kustomize directory: its 1 manifest file was not"
            + " audited (patches and bases are not the objects applied); audit what it builds "
            + "instead: kubectl kustomize " + KUSTOMIZE.resolve("shop/base")
            + " | kube-devops audit -",
        KUSTOMIZE.resolve("shop/components/probes") + ": a Kustomize directory: its 1 manifest"
            + " file was not audited (patches and bases are not the objects applied); audit what"
            + " it builds instead: kubectl kustomize " + KUSTOMIZE.resolve("shop/components/probes")
            + " | kube-devops audit -",
        KUSTOMIZE.resolve("shop/overlays/prod") + ": a Kustomize directory: its 2 manifest files"
            + " were not audited (patches and bases are not the objects applied); audit what it"
            + " builds instead: kubectl kustomize " + KUSTOMIZE.resolve("shop/overlays/prod")
            + " | kube-devops audit -");
  }

  @Test
  void aKustomizationOwnsItsWholeTreeAndNestedOnesAreNotReportedAgain() throws IOException {
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.createDirectories(app.resolve("base/deep"));
    Files.writeString(app.resolve("kustomization.yaml"), "resources: [base]\n");
    Files.writeString(app.resolve("patch.yaml"), DEPLOYMENT);
    Files.writeString(app.resolve("base/kustomization.yml"), "resources: [deep/d.yaml]\n");
    Files.writeString(app.resolve("base/deep/d.yaml"), DEPLOYMENT);
    Files.writeString(app.resolve("base/notes.txt"), "not a manifest");
    Files.writeString(dir.resolve("plain.yaml"), DEPLOYMENT.replace("web", "plain"));

    ManifestBatch batch = readSkippingKustomizations(dir);
    assertThat(batch.objects()).extracting(KubeObject::name).containsExactly("plain");
    assertThat(batch.warnings()).singleElement().asString()
        .startsWith(app + ": a Kustomize directory: its 2 manifest files were not audited")
        .endsWith("kubectl kustomize " + app + " | kube-devops audit -");
    // The directory given is itself a kustomization: the same line, for it.
    assertThat(readSkippingKustomizations(app).warnings()).singleElement().asString()
        .startsWith(app + ": ");
    assertThat(readSkippingKustomizations(app).objects()).isEmpty();
  }

  @Test
  void aKustomizationFileGivenDirectlyIsNotReadButNamedWithItsDirectory() {
    Path file = KUSTOMIZE.resolve("shop/overlays/prod/kustomization.yml");
    ManifestBatch batch = readSkippingKustomizations(file);
    assertThat(batch.objects()).isEmpty();
    assertThat(batch.invalid()).isEmpty();
    assertThat(batch.warnings()).containsExactly(file + ": a Kustomization, not a manifest: not "
        + "audited; audit what it builds instead: kubectl kustomize "
        + KUSTOMIZE.resolve("shop/overlays/prod") + " | kube-devops audit -");
    // A patch named directly is read: the user asked for that file.
    assertThat(readSkippingKustomizations(KUSTOMIZE.resolve("shop/overlays/prod/replicas.yaml"))
        .objects()).hasSize(1);
  }

  @Test
  void aKustomizationStreamedInIsNamedNotRead() throws IOException {
    Path overlay = KUSTOMIZE.resolve("shop/overlays/prod");
    byte[] concatenated = (Files.readString(overlay.resolve("kustomization.yml")) + "---\n"
        + Files.readString(overlay.resolve("replicas.yaml"))).getBytes(StandardCharsets.UTF_8);
    ManifestBatch batch = reader.skippingKustomizations()
        .read(List.of("-"), new ByteArrayInputStream(concatenated));
    assertThat(batch.warnings()).containsExactly("<stdin>#0: a Kustomize Kustomization document:"
        + " not audited; the documents read with it may be patches and bases, not the objects "
        + "applied; audit what it builds instead: kubectl kustomize DIR | kube-devops audit -");
    assertThat(batch.objects()).extracting(KubeObject::source).containsExactly("<stdin>#1");
  }

  @Test
  void aReaderOfPolicyFilesReadsKustomizationTreesAsTheyAre() {
    // Policies kept in a kustomize base are whole objects: policy lint and --policies read them.
    ManifestBatch batch = read(KUSTOMIZE.resolve("shop/base"));
    assertThat(batch.warnings()).isEmpty();
    assertThat(batch.objects()).extracting(KubeObject::kind)
        .containsExactly("Deployment", "Kustomization");
  }

  private static final Path DUPLICATES = Path.of("src/test/resources/input/duplicates");

  @Test
  void anObjectDefinedTwiceIsWarnedAboutNamingEverySourceAndJudgedOnceAsDefinedLast() {
    ManifestBatch batch = read(DUPLICATES);
    batch.keepLastOfDuplicates();
    Path a = DUPLICATES.resolve("a.yaml");
    Path b = DUPLICATES.resolve("b.yaml");
    Path c = DUPLICATES.resolve("c.yaml");
    assertThat(batch.warnings()).containsExactly(
        "Deployment/default/web is defined 3 times: " + a + "#1 (line 7), " + b
            + "#0 (line 1) and " + c + "#0.items[1] (line 8); judged once, as defined last ("
            + c + "#0.items[1]), the definition kubectl apply would leave",
        "ClusterRole/reader is defined twice: " + b + "#2 (line 21) and " + b + "#3 (line 26);"
            + " judged once, as defined last (" + b + "#3), the definition kubectl apply would"
            + " leave");
    assertThat(batch.objects()).extracting(KubeObject::source).containsExactly(
        a + "#0", b + "#1", b + "#3", b + "#4", b + "#5", c + "#0.items[0]", c + "#0.items[1]");
    KubeObject web = batch.objects().get(6);
    assertThat(web.displayName()).isEqualTo("Deployment/default/web");
    assertThat(web.content().toString()).contains("nginx:1.28");
  }

  @Test
  void objectsOfAnotherGroupOrNamespaceAreNotDuplicates() throws IOException {
    Path file = Files.writeString(dir.resolve("app.yaml"), DEPLOYMENT + "---\n"
        + DEPLOYMENT.replace("apps/v1", "example.com/v1") + "---\n"
        + DEPLOYMENT.replace("name: web", "name: web\n  namespace: shop"));
    ManifestBatch batch = read(file);
    batch.keepLastOfDuplicates();
    assertThat(batch.warnings()).isEmpty();
    assertThat(batch.objects()).hasSize(3);
  }

  @Test
  void itemsOfAKubectlGetDumpStartOnTheirOwnLinesInYamlAndJson() {
    Path dump = Path.of("src/test/resources/input/get dump #1");
    ManifestBatch batch = read(dump);
    assertThat(batch.invalid()).isEmpty();
    assertThat(batch.objects()).extracting(o -> o.source() + " " + o.line()).containsExactly(
        dump.resolve("deployments.yaml") + "#0.items[0] 3",
        dump.resolve("deployments.yaml") + "#0.items[1] 18",
        dump.resolve("pods.json") + "#0.items[0] 4",
        dump.resolve("pods.json") + "#0.items[1] 12");
    assertThat(batch.objects()).extracting(KubeObject::name)
        .containsExactly("api", "cart", "debug", "root");
  }

  @Test
  void aListInAFlowSequenceOrBehindAnAliasKeepsWhatLinesItCan() throws IOException {
    Path file = Files.writeString(dir.resolve("list.yaml"), """
        kind: List
        apiVersion: v1
        items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: a}},
          {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}]
        ---
        apiVersion: v1
        kind: List
        spec:
          items: &objects
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
        items: *objects
        """);
    assertThat(read(file).objects()).extracting(o -> o.name() + " " + o.line())
        .containsExactly("a 3", "b 4", "c 6");
  }

  @Test
  void jsonDocumentsStillRefuseDuplicateFieldsAtTheirRoot() throws IOException {
    Path file = Files.writeString(dir.resolve("dup.json"),
        "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"kind\": \"Pod\", \"items\": []}");
    assertThat(read(file).invalid()).singleElement().asString().contains("Duplicate field");
  }

  @Test
  void readsStdin() {
    ManifestBatch batch = reader.read(List.of("-"),
        new ByteArrayInputStream(DEPLOYMENT.getBytes(StandardCharsets.UTF_8)));
    assertThat(batch.objects()).singleElement().satisfies(o ->
        assertThat(o.source()).isEqualTo("<stdin>#0"));
  }

  @Test
  void malformedYamlNamesFileDocumentAndLine() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"),
        DEPLOYMENT + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n");
    ManifestBatch batch = read(file);
    assertThat(batch.objects()).hasSize(1);
    assertThat(batch.invalid()).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo(file + "#1");
      assertThat(d.problem()).startsWith("malformed YAML at line");
      assertThat(d.toString()).doesNotContain("\n");
    });
  }

  @Test
  void aYamlFileThatIsNotKubernetesIsNamedAsSuch() throws IOException {
    Path file = Files.writeString(dir.resolve("values.yaml"), "replicaCount: 2\nimage: nginx\n");
    assertThat(read(file).invalid()).singleElement().satisfies(d ->
        assertThat(d.toString()).isEqualTo(file + "#0: not a Kubernetes object (no apiVersion "
            + "or kind)"));
    Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "just text\n");
    assertThat(read(scalar).invalid()).singleElement().satisfies(d ->
        assertThat(d.problem()).contains("the document is a string"));
  }

  @Test
  void aliasesResolveToTheAnchoredValueAndMergeKeysMerge() throws IOException {
    Path file = Files.writeString(dir.resolve("anchors.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          labels: &labels {app: web}
          annotations:
            <<: *labels
            note: merged
        spec:
          containers:
            - &c {name: a, image: "nginx:1.27"}
            - *c
        """);
    KubeObject pod = read(file).objects().get(0);
    assertThat(pod.annotations()).containsEntry("app", "web").containsEntry("note", "merged");
    assertThat((List<?>) KubeObject.mapAt(pod.content(), "spec").get("containers"))
        .hasSize(2).allSatisfy(c -> assertThat(((Map<?, ?>) c).get("name")).isEqualTo("a"));
  }

  @Test
  void plainScalarsResolveAsKubernetesReadsThem() throws IOException {
    Path file = Files.writeString(dir.resolve("scalars.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data:
          yes11: yes
          quoted: "yes"
          hex: 0x1F
          float: 1.5
          nothing: ~
          stamp: 2026-11-22T10:00:00Z
          false12: FALSE
          off11: Off
          nullWord: NULL
          falsehood: falsehood
          nullable: nullable
          offline: offline
          yesterday: yesterday
          trueish: Trueish
        """);
    Map<String, Object> data = KubeObject.mapAt(read(file).objects().get(0).content(), "data");
    assertThat(data).containsEntry("yes11", true).containsEntry("quoted", "yes")
        .containsEntry("hex", 31L).containsEntry("float", 1.5)
        .containsEntry("stamp", "2026-11-22T10:00:00Z")
        .containsEntry("false12", false).containsEntry("off11", false)
        .containsEntry("falsehood", "falsehood").containsEntry("nullable", "nullable")
        .containsEntry("offline", "offline").containsEntry("yesterday", "yesterday")
        .containsEntry("trueish", "Trueish");
    assertThat(data).containsKey("yes11").doesNotContainKey("nullWord");
    assertThat(data.get("nothing")).isNull();
  }

  @Test
  void duplicateKeysAreRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("dup.yaml"),
        "apiVersion: v1\nkind: Pod\nkind: Service\nmetadata: {name: x}\n");
    assertThat(read(file).invalid()).singleElement().satisfies(d ->
        assertThat(d.problem()).containsIgnoringCase("duplicate"));
  }

  @Test
  void aliasBombStopsAtTheAliasLimit() throws IOException {
    StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\n");
    bomb.append("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    String previous = "a";
    for (char c = 'b'; c <= 'j'; c++) {
      bomb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append(previous);
      }
      bomb.append("]\n");
      previous = String.valueOf(c);
    }
    Path file = Files.writeString(dir.resolve("bomb.yaml"), bomb);
    ManifestBatch batch = read(file);
    assertThat(batch.objects()).isEmpty();
    assertThat(batch.invalid()).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo(file + "#0");
      assertThat(d.problem()).containsIgnoringCase("alias");
    });
  }

  @Test
  void aFiftyMegabyteSingleLineDocumentIsRefusedAtTheLineLimit() throws IOException {
    Path file = fiftyMegabytes("huge.yaml", 50 << 20);
    ManifestBatch batch = read(file);
    assertThat(batch.objects()).isEmpty();
    assertThat(batch.invalid()).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo(file + "#0");
      assertThat(d.problem()).isEqualTo("a line longer than 3145728 characters");
    });
  }

  @Test
  void aFiftyMegabyteDocumentOfShortLinesIsRefusedAtTheDocumentLimit() throws IOException {
    Path file = fiftyMegabytes("huge-lines.yaml", 100);
    ManifestBatch batch = read(file);
    assertThat(batch.objects()).isEmpty();
    assertThat(batch.invalid()).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo(file + "#0");
      assertThat(d.problem()).startsWith("document too large");
    });
  }

  @Test
  void documentsAfterALargeOneAreCountedAndTheLimitIsPerDocument() throws IOException {
    String line = "x".repeat(99) + "\n";
    String doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  blob: |\n"
        + ("    " + line).repeat(100_000);
    // Two documents of 10 MB each: together above, each below the 16 MiB document limit.
    Path file = Files.writeString(dir.resolve("two.yaml"), doc + "---\n" + doc);
    assertThat(read(file).objects()).hasSize(2);
  }

  /** A ConfigMap of 50 MB: one scalar on lines of {@code lineLength} characters. */
  private Path fiftyMegabytes(String name, int lineLength) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: |\n"
          .getBytes(StandardCharsets.UTF_8));
      byte[] line = ("    " + "x".repeat(lineLength) + "\n").getBytes(StandardCharsets.UTF_8);
      for (long written = 0; written < 50L << 20; written += line.length) {
        out.write(line);
      }
    }
    return file;
  }

  @Test
  void deepNestingIsRefused() throws IOException {
    String deep = "apiVersion: v1\nkind: ConfigMap\ndata: " + "[".repeat(500) + "]".repeat(500);
    Path file = Files.writeString(dir.resolve("deep.yaml"), deep);
    assertThat(read(file).invalid()).singleElement().satisfies(d ->
        assertThat(d.source()).isEqualTo(file + "#0"));
  }

  @Test
  void aMissingPathIsInvalidInput() {
    assertThat(read(dir.resolve("nope.yaml")).invalid()).singleElement().satisfies(d ->
        assertThat(d.problem()).isEqualTo("no such file or directory"));
  }

  @Test
  void clusterScopedObjectsHaveNoNamespace() {
    KubeObject role = TestUtils.object("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        """);
    assertThat(role.namespace()).isNull();
    assertThat(role.displayName()).isEqualTo("ClusterRole/reader");
    KubeObject misplaced = TestUtils.object("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader, namespace: test}
        """);
    assertThat(misplaced.namespace()).as("as the API server, ignore it").isNull();
  }
}
