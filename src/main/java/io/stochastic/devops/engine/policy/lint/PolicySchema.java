package io.stochastic.devops.engine.policy.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.policy.CrdResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The OpenAPI v3 schema of a CRD version, read from the CRD file the jar carries, validated the
 * way the API server would validate an object with strict field validation
 * ({@code kubectl apply --validate=strict}), but offline.
 *
 * <p>The Kubernetes schema dialect is adapted to JSON Schema (draft 2020-12, validated by
 * networknt json-schema-validator): an object schema that neither preserves unknown fields nor
 * declares {@code additionalProperties} gets {@code additionalProperties: false}, because the API
 * server prunes what it does not declare (strict validation reports it as an unknown field);
 * {@code x-kubernetes-int-or-string} becomes {@code type: [integer, string]}; {@code metadata}
 * gets the schema of ObjectMeta; integer formats ({@code int32}, {@code int64}) are dropped
 * because the ranges are declared as {@code minimum}/{@code maximum}. Messages name the field
 * as a JSON-path-like {@link FieldPath}.
 */
public final class PolicySchema {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> KEPT_FORMATS = Set.of("date-time", "date", "byte");

  private final JsonSchema schema;
  private final JsonNode adapted;

  private PolicySchema(JsonNode adapted) {
    this.adapted = adapted;
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .pathType(PathType.JSON_POINTER)
        .formatAssertionsEnabled(true)
        .typeLoose(false)
        .build();
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(adapted, config);
  }

  /** The schema of DevOpsPolicy v1, from the jar's {@code crds/}. */
  public static PolicySchema devOpsPolicy() {
    return fromCrd(CrdResources.named(CrdResources.DEVOPS_POLICY).text(), "v1");
  }

  /** The schema of {@code version} of the CRD in {@code crdYaml}. */
  public static PolicySchema fromCrd(String crdYaml, String version) {
    JsonNode crd;
    try {
      crd = YAML.readTree(crdYaml);
    } catch (IOException e) {
      throw new EngineException("cannot read the CRD: " + e.getMessage(), e);
    }
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        JsonNode openApi = v.path("schema").path("openAPIV3Schema");
        if (!openApi.isObject()) {
          throw new EngineException("the CRD has no openAPIV3Schema for " + version);
        }
        ObjectNode root = (ObjectNode) adapt(openApi);
        ObjectNode properties = (ObjectNode) root.get("properties");
        properties.set("metadata", objectMeta());
        return new PolicySchema(root);
      }
    }
    throw new EngineException("the CRD serves no version " + version);
  }

  /** The schema's violations in {@code object}, a JSON tree of the whole object. */
  public List<SchemaViolation> validate(JsonNode object) {
    List<SchemaViolation> violations = new ArrayList<>();
    for (ValidationMessage message : schema.validate(object)) {
      violations.add(describe(message));
    }
    return violations;
  }

  /**
   * A copy of {@code object} with the fields of each object in the order the schema declares
   * them (the CRD's order: {@code bundle} before the toggles, {@code id} first in a custom check),
   * and keys the schema does not name (labels, severity overrides, preserved fields) sorted:
   * a stable, readable order for exported and compared policies.
   */
  public Map<String, Object> ordered(Map<String, Object> object) {
    return orderedMap(object, adapted);
  }

  @SuppressWarnings("unchecked")
  private static Object ordered(Object value, JsonNode schema) {
    if (value instanceof Map<?, ?> map) {
      return orderedMap((Map<String, Object>) map, schema);
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(ordered(item, schema.path("items"))));
      return items;
    }
    return value;
  }

  private static Map<String, Object> orderedMap(Map<String, Object> map, JsonNode schema) {
    Map<String, Object> result = new LinkedHashMap<>();
    JsonNode properties = schema.path("properties");
    properties.fieldNames().forEachRemaining(name -> {
      if (map.containsKey(name)) {
        result.put(name, ordered(map.get(name), properties.path(name)));
      }
    });
    JsonNode others = schema.path("additionalProperties");
    new TreeMap<>(map).forEach((key, value) -> {
      if (!result.containsKey(key)) {
        result.put(key, ordered(value, others));
      }
    });
    return result;
  }

  /** A violation of the schema: the field, the kind of problem and a message for people. */
  public record SchemaViolation(FieldPath field, LintRule rule, String message) {}

  private static JsonNode adapt(JsonNode k8s) {
    ObjectNode out = NODES.objectNode();
    boolean preserveUnknown = k8s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean intOrString = k8s.path("x-kubernetes-int-or-string").asBoolean(false);
    Iterator<Map.Entry<String, JsonNode>> fields = k8s.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.fields().forEachRemaining(p -> properties.set(p.getKey(), adapt(p.getValue())));
        }
        case "items", "not" -> out.set(key, adapt(value));
        case "additionalProperties" -> out.set(key, value.isObject() ? adapt(value) : value);
        case "allOf", "anyOf", "oneOf" -> {
          ArrayNode list = out.putArray(key);
          value.forEach(item -> list.add(adapt(item)));
        }
        case "format" -> {
          if (KEPT_FORMATS.contains(value.asText())) {
            out.set(key, value);
          }
        }
        case "nullable" -> {
          // Nulls are removed before validation, as the API server prunes them.
        }
        default -> {
          if (!key.startsWith("x-kubernetes-")) {
            out.set(key, value);
          }
        }
      }
    }
    if (intOrString) {
      ArrayNode types = out.putArray("type");
      types.add("integer");
      types.add("string");
    }
    if ("object".equals(k8s.path("type").asText()) && !preserveUnknown
        && !k8s.has("additionalProperties")) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  /** What the API server accepts in metadata: ObjectMeta's fields, with their types. */
  private static ObjectNode objectMeta() {
    ObjectNode meta = NODES.objectNode().put("type", "object");
    // In the order people read them: what a policy file holds first.
    ObjectNode properties = meta.putObject("properties");
    for (String name : List.of("name", "generateName", "namespace")) {
      properties.putObject(name).put("type", "string");
    }
    for (String name : List.of("labels", "annotations")) {
      properties.putObject(name).put("type", "object").putObject("additionalProperties")
          .put("type", "string");
    }
    for (String name : List.of("uid", "resourceVersion", "selfLink", "creationTimestamp",
        "deletionTimestamp")) {
      properties.putObject(name).put("type", "string");
    }
    properties.putObject("generation").put("type", "integer");
    properties.putObject("deletionGracePeriodSeconds").put("type", "integer");
    properties.putObject("finalizers").put("type", "array").putObject("items")
        .put("type", "string");
    for (String name : List.of("ownerReferences", "managedFields")) {
      properties.putObject(name).put("type", "array").putObject("items").put("type", "object");
    }
    meta.put("additionalProperties", false);
    return meta;
  }

  private SchemaViolation describe(ValidationMessage m) {
    FieldPath at = path(m.getInstanceLocation());
    JsonNode value = m.getInstanceNode();
    String keyword = m.getType();
    return switch (keyword) {
      case "additionalProperties" -> new SchemaViolation(at.child(m.getProperty()),
          LintRule.UNKNOWN_FIELD, unknownField(at, m.getProperty()));
      case "required" -> new SchemaViolation(at.child(m.getProperty()), LintRule.REQUIRED_FIELD,
          "required field is missing");
      case "type" -> new SchemaViolation(at, LintRule.INVALID_TYPE, wrongType(m, value));
      case "enum" -> new SchemaViolation(at, LintRule.INVALID_VALUE, "unsupported value "
          + show(value) + ": supported values: " + enumValues(m.getSchemaNode()));
      case "minimum", "exclusiveMinimum" -> new SchemaViolation(at, LintRule.INVALID_VALUE,
          show(value) + ": must be greater than or equal to " + m.getSchemaNode().asText());
      case "maximum", "exclusiveMaximum" -> new SchemaViolation(at, LintRule.INVALID_VALUE,
          show(value) + ": must be less than or equal to " + m.getSchemaNode().asText());
      case "pattern" -> new SchemaViolation(at, LintRule.INVALID_VALUE,
          show(value) + ": must match the pattern " + m.getSchemaNode().asText());
      case "format" -> new SchemaViolation(at, LintRule.INVALID_VALUE,
          show(value) + ": not a valid " + m.getSchemaNode().asText());
      case "maxItems" -> new SchemaViolation(at, LintRule.LIMIT_EXCEEDED, "has " + value.size()
          + " items: at most " + m.getSchemaNode().asText() + " are allowed");
      case "maxProperties" -> new SchemaViolation(at, LintRule.LIMIT_EXCEEDED, "has "
          + value.size() + " entries: at most " + m.getSchemaNode().asText() + " are allowed");
      case "maxLength" -> new SchemaViolation(at, LintRule.LIMIT_EXCEEDED, "is "
          + value.asText().codePointCount(0, value.asText().length())
          + " characters long: at most " + m.getSchemaNode().asText() + " are allowed");
      case "minLength" -> new SchemaViolation(at, LintRule.INVALID_VALUE,
          "must be at least " + m.getSchemaNode().asText() + " characters long");
      default -> new SchemaViolation(at, LintRule.INVALID_VALUE, m.getMessage()
          .replaceFirst("^[^:]*: ", ""));
    };
  }

  private String unknownField(FieldPath parent, String name) {
    List<String> names = new ArrayList<>();
    schemaAt(parent).path("properties").fieldNames().forEachRemaining(names::add);
    String closest = Suggestion.closest(name, names);
    return "unknown field \"" + name + "\""
        + (closest == null ? "" : " (did you mean " + closest + "?)");
  }

  /** The adapted schema node that validates the object at {@code path}. */
  private JsonNode schemaAt(FieldPath path) {
    JsonNode node = adapted;
    for (Object segment : path.segments()) {
      if (segment instanceof Integer) {
        node = node.path("items");
      } else if (node.path("properties").has(segment.toString())) {
        node = node.path("properties").path(segment.toString());
      } else {
        node = node.path("additionalProperties");
      }
    }
    return node;
  }

  private static String wrongType(ValidationMessage m, JsonNode value) {
    JsonNode expected = m.getSchemaNode();
    String wanted = expected.isArray()
        ? java.util.stream.StreamSupport.stream(expected.spliterator(), false)
            .map(JsonNode::asText).map(PolicySchema::article).collect(Collectors.joining(" or "))
        : article(expected.asText());
    String actual = typeOf(value);
    String text = "must be " + wanted + ", not " + article(actual);
    if (value.isBoolean() && expected.toString().contains("string")) {
      text += " (quote it: YAML reads yes, no, on, off, true and false as booleans)";
    }
    return text;
  }

  private static String typeOf(JsonNode value) {
    JsonNodeType type = value.getNodeType();
    return switch (type) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case BOOLEAN -> "boolean";
      case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
      case STRING -> "string";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "an object (a map)";
      case "array" -> "an array (a list)";
      case "integer" -> "an integer";
      default -> "a " + type;
    };
  }

  private static String enumValues(JsonNode values) {
    List<String> shown = new ArrayList<>();
    values.forEach(v -> shown.add(show(v)));
    return String.join(", ", shown);
  }

  private static String show(JsonNode value) {
    return value == null ? "null" : value.isTextual() ? "\"" + value.asText() + "\""
        : value.toString();
  }

  private static FieldPath path(JsonNodePath location) {
    List<Object> segments = new ArrayList<>();
    for (int i = 0; i < location.getNameCount(); i++) {
      segments.add(location.getElement(i));
    }
    return new FieldPath(segments);
  }
}
