package io.stochastic.devops.engine.policy;

import io.stochastic.devops.api.ApiGroup;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.util.Map;
import java.util.stream.Collectors;

/** Converts between DevOpsPolicy objects and the trees and YAML the engine reads them from. */
public final class PolicyDocuments {
  public static final String API_VERSION = ApiGroup.API_VERSION;
  public static final String KIND = "DevOpsPolicy";

  // JavaTimeModule: a policy read back from the cluster (or from kubectl get -o yaml) has the
  // operator's status timestamps; without it every such policy failed as "not a valid
  // DevOpsPolicy" (a new operator leader failed them all).
  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private PolicyDocuments() {}

  public static boolean isPolicy(Map<String, Object> content) {
    return KIND.equals(content.get("kind"))
        && String.valueOf(content.get("apiVersion")).startsWith(ApiGroup.GROUP + "/");
  }

  /** Reads a DevOpsPolicy from its tree; {@code source} names it in errors. */
  public static DevOpsPolicy fromTree(String source, Map<String, Object> content) {
    try {
      return MAPPER.convertValue(content, DevOpsPolicy.class);
    } catch (IllegalArgumentException e) {
      throw new EngineException(source + ": not a valid DevOpsPolicy: " + describe(e));
    }
  }

  public static DevOpsPolicy fromYaml(String source, String yaml) {
    try {
      return MAPPER.readValue(yaml, DevOpsPolicy.class);
    } catch (JsonProcessingException e) {
      throw new EngineException(source + ": not a valid DevOpsPolicy: " + describe(e));
    }
  }

  /** A model object (or part of one) as the plain tree CEL and JSON Patch work on. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toTree(Object value) {
    return value == null ? Map.of() : MAPPER.convertValue(value, Map.class);
  }

  public static JsonNode toJsonNode(Object value) {
    return MAPPER.valueToTree(value);
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof IllegalArgumentException && e.getCause() != null
        ? e.getCause() : e;
    if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      String path = m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."))
          .replace(".[", "[");
      String value = m instanceof InvalidFormatException f ? " '" + f.getValue() + "'" : "";
      return "field " + path + ": invalid value" + value;
    }
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
