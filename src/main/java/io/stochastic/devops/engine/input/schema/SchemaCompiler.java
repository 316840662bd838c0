package io.stochastic.devops.engine.input.schema;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles structural schemas (maps as read from JSON or YAML) to {@link SchemaNode}s: the
 * bundled Kubernetes definitions, which refer to each other by name ({@code $ref}), and the
 * {@code openAPIV3Schema} of CRDs.
 */
final class SchemaCompiler {
  private final Map<String, Object> definitions;
  private final Map<String, SchemaNode> compiled = new HashMap<>();
  /**
   * Whether an object schema with neither properties nor additionalProperties takes any field:
   * so in the API server's own OpenAPI ({@code RawExtension}, {@code FieldsV1}); in a CRD such
   * an object is pruned to empty, so its fields are unknown.
   */
  private final boolean emptyObjectsAreFreeForm;

  SchemaCompiler(Map<String, Object> definitions, boolean emptyObjectsAreFreeForm) {
    this.definitions = definitions;
    this.emptyObjectsAreFreeForm = emptyObjectsAreFreeForm;
  }

  /** The node of the named definition; an unknown name accepts anything. */
  SchemaNode definition(String name) {
    SchemaNode node = compiled.get(name);
    if (node != null) {
      return node;
    }
    Object schema = definitions.get(name);
    if (!(schema instanceof Map<?, ?>)) {
      return SchemaNode.any();
    }
    node = new SchemaNode();
    node.title = name.substring(name.lastIndexOf('.') + 1);
    compiled.put(name, node); // before filling it: definitions refer to themselves
    fill(node, asMap(schema));
    return node;
  }

  SchemaNode compile(Object schema) {
    if (!(schema instanceof Map<?, ?> map)) {
      return SchemaNode.any();
    }
    Object ref = map.get("$ref");
    if (ref instanceof String name) {
      return definition(name.substring(name.lastIndexOf('/') + 1));
    }
    SchemaNode node = new SchemaNode();
    fill(node, asMap(map));
    return node;
  }

  private void fill(SchemaNode node, Map<String, Object> schema) {
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
      node.types = EnumSet.of(SchemaNode.Type.INTEGER, SchemaNode.Type.STRING);
    } else if (schema.get("type") instanceof String type) {
      node.types = typeNamed(type);
    } else {
      node.types = alternativeTypes(schema);
    }
    if (schema.get("properties") instanceof Map<?, ?> properties) {
      Map<String, SchemaNode> fields = new LinkedHashMap<>();
      asMap(properties).forEach((field, fieldSchema) -> fields.put(field, compile(fieldSchema)));
      node.properties = fields;
    }
    Object additional = schema.get("additionalProperties");
    if (additional instanceof Map<?, ?>) {
      node.additional = compile(additional);
    } else if (Boolean.TRUE.equals(additional)) {
      node.anyFields = true;
    }
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
        || node.types.isEmpty() && node.properties == null && node.additional == null) {
      node.anyFields = true;
    }
    if (emptyObjectsAreFreeForm && node.types.contains(SchemaNode.Type.OBJECT)
        && node.properties == null && node.additional == null && additional == null) {
      node.anyFields = true;
    }
    node.embeddedResource = Boolean.TRUE.equals(schema.get("x-kubernetes-embedded-resource"));
    if (schema.containsKey("items")) {
      node.items = compile(schema.get("items"));
    }
    if (schema.get("required") instanceof List<?> required) {
      node.required = required.stream().map(String::valueOf).toList();
    }
    if (schema.get("enum") instanceof List<?> values) {
      Set<Object> allowed = new LinkedHashSet<>();
      values.forEach(v -> allowed.add(v instanceof Integer i ? Long.valueOf(i) : v));
      node.allowed = allowed;
    }
    if (schema.get("format") instanceof String format) {
      node.format = format;
    }
    if (schema.get("minimum") instanceof Number minimum) {
      node.minimum = minimum;
    }
    if (schema.get("maximum") instanceof Number maximum) {
      node.maximum = maximum;
    }
    node.minLength = intAt(schema, "minLength");
    node.maxLength = intAt(schema, "maxLength");
    node.minItems = intAt(schema, "minItems");
    node.maxItems = intAt(schema, "maxItems");
    node.maxProperties = intAt(schema, "maxProperties");
    if (schema.get("pattern") instanceof String pattern) {
      try {
        node.pattern = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        node.pattern = null; // the API server would refuse the CRD; judge the rest
      }
    }
  }

  /** The types of {@code oneOf}/{@code anyOf} alternatives that only name a type. */
  private static EnumSet<SchemaNode.Type> alternativeTypes(Map<String, Object> schema) {
    EnumSet<SchemaNode.Type> types = EnumSet.noneOf(SchemaNode.Type.class);
    for (String key : List.of("oneOf", "anyOf")) {
      if (schema.get(key) instanceof List<?> alternatives) {
        for (Object alternative : alternatives) {
          if (alternative instanceof Map<?, ?> a && a.get("type") instanceof String type) {
            types.addAll(typeNamed(type));
          } else {
            return EnumSet.noneOf(SchemaNode.Type.class); // a value validation: not a type
          }
        }
      }
    }
    return types;
  }

  private static EnumSet<SchemaNode.Type> typeNamed(String type) {
    return switch (type) {
      case "object" -> EnumSet.of(SchemaNode.Type.OBJECT);
      case "array" -> EnumSet.of(SchemaNode.Type.ARRAY);
      case "string" -> EnumSet.of(SchemaNode.Type.STRING);
      case "integer" -> EnumSet.of(SchemaNode.Type.INTEGER);
      case "number" -> EnumSet.of(SchemaNode.Type.NUMBER, SchemaNode.Type.INTEGER);
      case "boolean" -> EnumSet.of(SchemaNode.Type.BOOLEAN);
      default -> EnumSet.noneOf(SchemaNode.Type.class);
    };
  }

  private static int intAt(Map<String, Object> schema, String key) {
    return schema.get(key) instanceof Number n ? (int) Math.min(n.longValue(), Integer.MAX_VALUE)
        : -1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object map) {
    return (Map<String, Object>) map;
  }
}
