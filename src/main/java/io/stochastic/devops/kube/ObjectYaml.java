package io.stochastic.devops.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Objects as the YAML kube-devops writes for people and for Git: block style, lists indented
 * under their key, long strings on one line (a diff then shows the one that changed), quotes
 * only where YAML needs them (a string such as {@code "off"} or {@code "1"} keeps them),
 * multi-line strings as literal blocks, fields in a stable order.
 */
public final class ObjectYaml {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build());

  private final UnaryOperator<Map<String, Object>> order;

  private ObjectYaml(UnaryOperator<Map<String, Object>> order) {
    this.order = order;
  }

  /** DevOpsPolicies, their fields in the order of the CRD's schema. */
  public static ObjectYaml policies(PolicySchema schema) {
    return new ObjectYaml(schema::ordered);
  }

  /** Objects whose field order is already stable (what the API server returns for built-ins). */
  public static ObjectYaml asIs() {
    return new ObjectYaml(UnaryOperator.identity());
  }

  /** One object as one YAML document (no {@code ---}), ending with a newline. */
  public String write(Map<String, Object> object) {
    try {
      return YAML.writeValueAsString(order.apply(object));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write YAML", e);
    }
  }
}
