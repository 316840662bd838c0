package io.stochastic.devops.engine.remediation.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/** The single edits fix is made of, where the fixture cases do not reach them one by one. */
class YamlTextEditorTest {
  private static final JsonNode NONE = JsonNodeFactory.instance.nullNode();

  @Test
  void removingFromAFlowMappingTakesOneComma() {
    assertThat(YamlTextEditor.apply("spec: {a: 1, b: 2, c: 3}\n", 0, "remove", "/spec/b", NONE))
        .isEqualTo("spec: {a: 1, c: 3}\n");
    assertThat(YamlTextEditor.apply("spec: {a: 1, c: 3}\n", 0, "remove", "/spec/c", NONE))
        .isEqualTo("spec: {a: 1}\n");
  }

  @Test
  void removingABlockEntryTakesItsNestedLinesAndKeepsTheCommentsAfterIt() {
    String text = "spec:\n  caps:\n    add: [NET_ADMIN]\n    x: 1\n  # kept\n  other: 2\n";
    assertThat(YamlTextEditor.apply(text, 0, "remove", "/spec/caps", NONE))
        .isEqualTo("spec:\n  # kept\n  other: 2\n");
  }

  @Test
  void aMissingKeyIsNotAnError() {
    assertThat(YamlTextEditor.apply("a: 1\n", 0, "remove", "/b", NONE)).isEqualTo("a: 1\n");
  }

  @Test
  void stringsThatYamlWouldReadAsSomethingElseAreQuoted() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    assertThat(YamlTextEditor.flowValue(json.textNode("true"))).isEqualTo("\"true\"");
    assertThat(YamlTextEditor.flowValue(json.textNode("1"))).isEqualTo("\"1\"");
    assertThat(YamlTextEditor.flowValue(json.textNode("1e3"))).isEqualTo("\"1e3\"");
    assertThat(YamlTextEditor.flowValue(json.textNode("0x1F"))).isEqualTo("\"0x1F\"");
    assertThat(YamlTextEditor.flowValue(json.textNode("a: b"))).isEqualTo("\"a: b\"");
    assertThat(YamlTextEditor.flowValue(json.textNode("512Mi"))).isEqualTo("512Mi");
    assertThat(YamlTextEditor.flowValue(json.textNode("/healthz"))).isEqualTo("/healthz");
  }

  @Test
  void theOnlyEntryOfABlockMappingIsNotRemoved() {
    assertThatThrownBy(() -> YamlTextEditor.apply("spec:\n  a: 1\n", 0, "remove", "/spec/a",
        NONE)).isInstanceOf(YamlTextEditor.EditRefused.class);
  }

  @Test
  void anAliasedNodeIsRefused() {
    String text = "x: &shared {a: 1}\ny: *shared\n";
    assertThatThrownBy(() -> YamlTextEditor.apply(text, 0, "add", "/y/b",
        JsonNodeFactory.instance.numberNode(2)))
        .isInstanceOf(YamlTextEditor.EditRefused.class).hasMessageContaining("&shared");
  }
}
