package io.stochastic.devops.engine.input.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reduces the API server's OpenAPI v3 documents (one per group-version) to what {@link
 * KubernetesSchema} validates with: the definitions reachable from each served kind, without
 * descriptions, defaults and patch/list metadata; {@code allOf: [$ref]} wrappers become plain
 * references by definition name. The output is stable (sorted) so the bundled file diffs well
 * when the Kubernetes version moves.
 */
final class OpenApiReduction {
  /** Groups whose schemas come from CRDs instead: ours ship in the jar. */
  private static final Set<String> EXCLUDED_GROUPS = Set.of("devops.stochastic.io");
  private static final Set<String> KEPT = Set.of("type", "properties", "additionalProperties",
      "items", "required", "enum", "oneOf", "anyOf", "minimum", "maximum", "minLength",
      "maxLength", "minItems", "maxItems", "maxProperties", "pattern",
      "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
      "x-kubernetes-embedded-resource");
  private static final Set<String> KEPT_FORMATS = Set.of("int32", "int64", "byte", "int-or-string");
  private static final String REF_PREFIX = "#/components/schemas/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> definitions = new TreeMap<>();
  private final Map<String, String> kinds = new TreeMap<>();

  /** Adds one group-version document ({@code /openapi/v3/apis/apps/v1}). */
  void add(JsonNode document) {
    JsonNode schemas = document.path("components").path("schemas");
    for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      definitions.putIfAbsent(entry.getKey(), entry.getValue());
      for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
        String group = gvk.path("group").asText();
        String kind = gvk.path("kind").asText();
        if (EXCLUDED_GROUPS.contains(group) || kind.endsWith("List")
            || kind.equals("WatchEvent") || kind.equals("DeleteOptions")) {
          continue;
        }
        String version = gvk.path("version").asText();
        kinds.put((group.isEmpty() ? version : group + "/" + version) + "/" + kind,
            entry.getKey());
      }
    }
  }

  /** The bundled schema: {@code {"kubernetesVersion", "kinds": {...}, "definitions": {...}}}. */
  String render(String kubernetesVersion) {
    Map<String, JsonNode> reachable = new TreeMap<>();
    Deque<String> pending = new ArrayDeque<>(kinds.values());
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (reachable.containsKey(name)) {
        continue;
      }
      JsonNode definition = definitions.get(name);
      if (definition == null) {
        throw new IllegalStateException("no definition " + name);
      }
      JsonNode reduced = reduce(definition, pending);
      reachable.put(name, reduced);
    }
    StringBuilder out = new StringBuilder("{\n\"kubernetesVersion\": ")
        .append(quote(kubernetesVersion)).append(",\n\"kinds\": {\n");
    appendLines(out, kinds.entrySet().stream()
        .map(e -> quote(e.getKey()) + ": " + quote(e.getValue())).toList());
    out.append("},\n\"definitions\": {\n");
    appendLines(out, reachable.entrySet().stream()
        .map(e -> quote(e.getKey()) + ": " + e.getValue().toString()).toList());
    return out.append("}\n}\n").toString();
  }

  private static void appendLines(StringBuilder out, List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      out.append(lines.get(i)).append(i + 1 < lines.size() ? ",\n" : "\n");
    }
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode reduce(JsonNode schema, Deque<String> pending) {
    if (!schema.isObject()) {
      return schema;
    }
    JsonNode ref = reference(schema);
    if (ref != null) {
      String name = ref.asText().substring(REF_PREFIX.length());
      pending.push(name);
      return JsonNodeFactory.instance.objectNode().put("$ref", name);
    }
    ObjectNode reduced = JsonNodeFactory.instance.objectNode();
    new TreeMap<String, JsonNode>(Map.copyOf(toMap(schema))).forEach((key, value) -> {
      switch (key) {
        case "format" -> {
          if (KEPT_FORMATS.contains(value.asText())) {
            reduced.set(key, value);
          }
        }
        case "properties" -> {
          ObjectNode properties = reduced.putObject(key);
          new TreeMap<>(toMap(value)).forEach((field, fieldSchema) ->
              properties.set(field, reduce(fieldSchema, pending)));
        }
        case "additionalProperties", "items" ->
            reduced.set(key, value.isObject() ? reduce(value, pending) : value);
        case "oneOf", "anyOf" -> {
          var alternatives = reduced.putArray(key);
          value.forEach(alternative -> alternatives.add(reduce(alternative, pending)));
        }
        default -> {
          if (KEPT.contains(key)) {
            reduced.set(key, value);
          }
        }
      }
    });
    return reduced;
  }

  /** The reference of {@code {$ref}} or of {@code {allOf: [{$ref}]}}, else null. */
  private static JsonNode reference(JsonNode schema) {
    if (schema.has("$ref")) {
      return schema.get("$ref");
    }
    JsonNode allOf = schema.get("allOf");
    if (allOf != null && allOf.size() == 1 && allOf.get(0).has("$ref")) {
      return allOf.get(0).get("$ref");
    }
    return null;
  }

  private static Map<String, JsonNode> toMap(JsonNode node) {
    Map<String, JsonNode> map = new TreeMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }
}
