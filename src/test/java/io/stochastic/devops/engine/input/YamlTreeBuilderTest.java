package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How YAML documents become trees, through the reader: anchors and aliases, explicit tags, merge
 * keys, the limits on aliases, expansion and depth, and the line each document starts on.
 */
class YamlTreeBuilderTest {
  private static final String HEADER = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";

  private static Map<String, Object> content(String yaml) {
    return TestUtils.object(HEADER + yaml).content();
  }

  private static InvalidDocument invalid(String yaml) {
    return invalid(ReadLimits.DEFAULT, yaml);
  }

  private static InvalidDocument invalid(ReadLimits limits, String yaml) {
    ManifestBatch batch = read(limits, HEADER + yaml);
    assertThat(batch.objects()).isEmpty();
    assertThat(batch.invalid()).hasSize(1);
    return batch.invalid().get(0);
  }

  private static ManifestBatch read(ReadLimits limits, String yaml) {
    ManifestBatch batch = new ManifestBatch();
    new ManifestReader(limits, "default").readStream("test.yaml",
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), false, batch);
    return batch;
  }

  @Test
  void anAliasSharesTheValueOfItsAnchorWhetherScalarMapOrList() {
    Map<String, Object> content = content("""
        text: &text "hello"
        map: &map {a: 1, b: [x]}
        list: &list [1, 2]
        aliases: [*text, *map, *list]
        """);
    List<?> aliases = (List<?>) content.get("aliases");
    assertThat(aliases.get(0)).isEqualTo("hello").isSameAs(content.get("text"));
    assertThat(aliases.get(1)).isEqualTo(Map.of("a", 1L, "b", List.of("x")))
        .isSameAs(content.get("map"));
    assertThat(aliases.get(2)).isEqualTo(List.of(1L, 2L)).isSameAs(content.get("list"));
  }

  @Test
  void anAliasRefersToTheLatestAnchorOfItsName() {
    Map<String, Object> content = content("""
        first: &a one
        second: &a two
        alias: *a
        """);
    assertThat(content).containsEntry("alias", "two");
  }

  @Test
  void anUndefinedAliasIsMalformedYamlNamingTheAliasAndItsPlace() {
    assertThat(invalid("data:\n  a: *nope\n")).satisfies(d -> {
      assertThat(d.source()).isEqualTo("test.yaml#0");
      assertThat(d.problem())
          .isEqualTo("malformed YAML at line 5, column 6: found undefined alias nope");
    });
  }

  @Test
  void anchorsBelongToTheirDocument() {
    ManifestBatch batch = read(ReadLimits.DEFAULT, HEADER + "data: {a: &a x}\n---\n" + HEADER
        + "data: {b: *a}\n");
    assertThat(batch.objects()).hasSize(1);
    assertThat(batch.invalid()).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo("test.yaml#1");
      assertThat(d.problem()).endsWith("found undefined alias a");
    });
  }

  @Test
  void anAliasInsideTheValueItNamesIsRefusedAsRecursive() {
    assertThat(invalid("data: &r\n  a: [1, *r]\n").problem()).isEqualTo("malformed YAML at "
        + "line 5, column 10: found alias r inside the value it refers to (a recursive value)");
  }

  @Test
  void aliasesToCollectionsAreRefusedPastTheLimitNamingIt() {
    String fiftyOne = "a: &a [1]\nl:\n" + "- *a\n".repeat(51);
    assertThat(invalid(fiftyOne).problem()).isEqualTo(
        "too many YAML aliases (possible alias bomb): more than 50 aliases to collections");
    assertThat((List<?>) content("a: &a [1]\nl:\n" + "- *a\n".repeat(50)).get("l")).hasSize(50);
  }

  @Test
  void aliasesToScalarsDoNotCountAgainstTheAliasLimit() {
    List<?> list = (List<?>) content("a: &a 1\nl:\n" + "- *a\n".repeat(500)).get("l");
    assertThat(list).hasSize(500).allSatisfy(item -> assertThat(item).isEqualTo(1L));
  }

  @Test
  void anAliasCostsTheFullExpandedSizeOfItsValue() {
    // Nodes: the root map 1, the header 8, a's key and list 1 + 10, b's key and list 1 + 1,
    // two aliases of a at 10 each: 42.
    String yaml = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a]\n";
    assertThat(read(limitsWithExpandedNodes(42), HEADER + yaml).objects()).hasSize(1);
    assertThat(invalid(limitsWithExpandedNodes(41), yaml).problem()).isEqualTo(
        "expands to more than 41 nodes through YAML aliases (possible alias bomb)");
  }

  @Test
  void aDocumentWithoutAliasesIsNotRefusedForItsNodeCount() {
    // A large kubectl get -o yaml List has millions of nodes and no alias: it is no bomb.
    String yaml = "l: [" + "1, ".repeat(100) + "1]\n";
    assertThat(read(limitsWithExpandedNodes(42), HEADER + yaml).objects()).hasSize(1);
  }

  private static ReadLimits limitsWithExpandedNodes(long nodes) {
    ReadLimits d = ReadLimits.DEFAULT;
    return new ReadLimits(d.maxDocumentChars(), d.maxLineChars(), d.maxAliases(),
        d.maxNestingDepth(), nodes);
  }

  @Test
  void nestingIsAllowedToTheLimitAndRefusedOneLevelBeyond() {
    // The root map is level 0, so data's outermost list is level 1.
    assertThat(content("data: " + "[".repeat(100) + "]".repeat(100) + "\n")).containsKey("data");
    assertThat(invalid("data: " + "[".repeat(101) + "]".repeat(101) + "\n").problem())
        .isEqualTo("nested deeper than 100 levels");
  }

  @Test
  void deepNestingIsRefusedWithoutReadingTheWholeDepth() {
    String million = "data: " + "[".repeat(1_000_000) + "]".repeat(1_000_000) + "\n";
    assertThat(invalid(million).problem()).isEqualTo("nested deeper than 100 levels");
  }

  @Test
  void explicitTagsDecideTheValueOverTheText() {
    Map<String, Object> data = KubeObject.mapAt(content("""
        data:
          str: !!str 123
          int: !!int "5"
          hex: !!int 0x1F
          bool: !!bool "yes"
          float: !!float "1.5"
          infinity: !!float .inf
          nothing: !!null whatever
          nonSpecific: ! 12
          custom: !Port 8080
          plain: 12
        """), "data");
    assertThat(data).containsEntry("str", "123").containsEntry("int", 5L)
        .containsEntry("hex", 31L).containsEntry("bool", true).containsEntry("float", 1.5)
        .containsEntry("infinity", Double.POSITIVE_INFINITY)
        .containsEntry("nonSpecific", "12").containsEntry("custom", "8080")
        .containsEntry("plain", 12L).doesNotContainKey("nothing");
  }

  @Test
  void aNumberTagOnTextThatIsNoNumberIsOneErrorWithItsPosition() {
    assertThat(invalid("replicas: !!int three\n").problem())
        .isEqualTo("malformed YAML at line 4, column 11: 'three' is not a valid !!int");
    assertThat(invalid("ratio: !!float half\n").problem())
        .endsWith("'half' is not a valid !!float");
  }

  @Test
  void tagsOnCollectionsDoNotChangeTheirValue() {
    Map<String, Object> data = KubeObject.mapAt(content("""
        data:
          map: !!map {a: 1}
          list: !custom [1, 2]
        """), "data");
    assertThat(data).containsEntry("map", Map.of("a", 1L)).containsEntry("list", List.of(1L, 2L));
  }

  @Test
  void integersBeyondSixtyFourBitsAreDoubles() {
    assertThat(content("big: 123456789012345678901234\n").get("big"))
        .isEqualTo(1.23456789012345678901234e23);
  }

  @Test
  void mergeKeysWithAListOfSourcesLetExplicitKeysAndThenEarlierSourcesWin() {
    Map<String, Object> content = content("""
        base: &base {a: 1, b: 2}
        other: &other {b: 3, c: 4, d: 5}
        merged:
          <<: [*base, *other]
          d: 6
        """);
    assertThat(content.get("merged")).isEqualTo(Map.of("d", 6L, "a", 1L, "b", 2L, "c", 4L));
    assertThat(KubeObject.mapAt(content, "merged").keySet()).containsExactly("d", "a", "b", "c");
  }

  @Test
  void aTaggedMergeKeyOrAnAliasOfOneMergesLikeAPlainOne() {
    Map<String, Object> content = content("""
        base: &base {a: 1}
        key: &merge <<
        tagged:
          !!merge <<: *base
        aliased:
          *merge : *base
        quoted:
          "<<": x
        """);
    assertThat(content).containsEntry("tagged", Map.of("a", 1L))
        .containsEntry("aliased", Map.of("a", 1L))
        .containsEntry("quoted", Map.of("<<", "x"));
  }

  @Test
  void aDuplicateKeyIsRefusedWithItsLine() {
    assertThat(invalid("data:\n  a: 1\n  a: 2\n").problem())
        .isEqualTo("duplicate key 'a' at line 6");
  }

  /** Fields k0: v to k(n-1): v of a block mapping at indentation 2. */
  private static String fields(int n) {
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < n; i++) {
      fields.append("  k").append(i).append(": v\n");
    }
    return fields.toString();
  }

  @Test
  void aDuplicateKeyIsRefusedInAMappingOfManyFieldsToo() {
    String data = "data:\n" + fields(40);
    assertThat(invalid(data + "  k3: again\n").problem())
        .isEqualTo("duplicate key 'k3' at line 45");
    assertThat(invalid(data + "  k39: again\n").problem())
        .isEqualTo("duplicate key 'k39' at line 45");
  }

  @Test
  void aKeyWithoutAValueMayComeAgainAndMappingsKeepTheirOrder() {
    String data = "data:\n  empty:\n" + fields(20);
    Map<?, ?> read = (Map<?, ?>) content(data + "  empty: now\n").get("data");
    assertThat(List.<Object>copyOf(read.keySet())).hasSize(21).startsWith("k0", "k1")
        .endsWith("k19", "empty");
    Map<?, ?> ordered = (Map<?, ?>) content("data: {b: 1, a: 2, c: {z: 1, x: 2}}\n").get("data");
    assertThat(List.<Object>copyOf(ordered.keySet())).containsExactly("b", "a", "c");
    assertThat(List.<Object>copyOf(((Map<?, ?>) ordered.get("c")).keySet())).containsExactly("z", "x");
  }

  @Test
  void equalShortValuesOfAStreamShareOneString() {
    ManifestBatch batch = read(ReadLimits.DEFAULT, HEADER + "data: {a: same, b: [same]}\n---\n"
        + HEADER + "data: {c: same}\n");
    Map<?, ?> first = (Map<?, ?>) batch.objects().get(0).content().get("data");
    Map<?, ?> second = (Map<?, ?>) batch.objects().get(1).content().get("data");
    assertThat(first.get("a")).isEqualTo("same")
        .isSameAs(((List<?>) first.get("b")).get(0)).isSameAs(second.get("c"));
  }

  @Test
  void eachDocumentStartsOnTheLineOfItsRootValue() {
    String stream = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        ---
        # a comment, then an empty document
        ---


        apiVersion: v1
        kind: Secret
        metadata: {name: b}
        --- !!map
        apiVersion: v1
        kind: Service
        metadata: {name: c}
        ...
        --- &root
        apiVersion: v1
        kind: Pod
        metadata: {name: d}
        """;
    List<KubeObject> objects = read(ReadLimits.DEFAULT, stream).objects();
    assertThat(objects).extracting(KubeObject::source)
        .containsExactly("test.yaml#0", "test.yaml#2", "test.yaml#3", "test.yaml#4");
    // A tag or anchor starts the root value on the marker's line; otherwise its first key does.
    assertThat(objects).extracting(KubeObject::line).containsExactly(1, 9, 12, 17);
  }
}
