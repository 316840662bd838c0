package io.stochastic.devops.engine.input.schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Walks one object's tree against its compiled schema, as the API server's decoding and
 * OpenAPI validation would: JSON types (with Kubernetes's YAML leniencies: {@code 2.0} is an
 * integer), required fields, allowed values, integer ranges, base64 {@code byte} fields, and
 * fields the schema does not declare. Stops after {@value #MAX_PROBLEMS} problems.
 */
final class SchemaValidator {
  static final int MAX_PROBLEMS = 20;
  private static final int MAX_QUOTED = 40;
  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(3);

  private final SchemaNode objectMeta;
  private final List<SchemaProblem> problems = new ArrayList<>();
  private final List<Object> path = new ArrayList<>();

  /** @param objectMeta the schema of {@code metadata}, for embedded resources */
  SchemaValidator(SchemaNode objectMeta) {
    this.objectMeta = objectMeta;
  }

  List<SchemaProblem> validate(SchemaNode root, Map<String, Object> object) {
    value(root, object);
    return problems;
  }

  private boolean full() {
    return problems.size() >= MAX_PROBLEMS;
  }

  private void problem(SchemaProblem.Kind kind, String message) {
    if (!full()) {
      problems.add(new SchemaProblem(List.copyOf(path), kind, message));
    }
  }

  private void value(SchemaNode node, Object value) {
    if (value == null || full()) {
      return; // Kubernetes reads null as absent
    }
    if (!node.types.isEmpty() && !accepts(node, value)) {
      problem(SchemaProblem.Kind.INVALID, "must be " + expected(node) + ", not "
          + describe(value));
      return;
    }
    if (node.allowed != null && !node.allowed.contains(value)) {
      problem(SchemaProblem.Kind.INVALID, "must be one of " + node.allowed.stream()
          .map(SchemaValidator::quote).collect(Collectors.joining(", ")) + ", not "
          + describe(value));
    }
    if (value instanceof Map<?, ?> map) {
      object(node, map);
    } else if (value instanceof List<?> list) {
      list(node, list);
    } else if (value instanceof String text) {
      string(node, text);
    } else if (value instanceof Number number) {
      number(node, number);
    }
  }

  private void object(SchemaNode node, Map<?, ?> map) {
    for (String required : node.required) {
      if (map.get(required) == null) {
        path.add(required);
        problem(SchemaProblem.Kind.INVALID, "is required");
        path.remove(path.size() - 1);
      }
    }
    if (node.maxProperties >= 0 && map.size() > node.maxProperties) {
      problem(SchemaProblem.Kind.INVALID, "may have at most " + node.maxProperties + " fields");
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String field = String.valueOf(entry.getKey());
      SchemaNode fieldNode = node.properties == null ? null : node.properties.get(field);
      if (fieldNode == null && node.embeddedResource) {
        fieldNode = embeddedField(field);
      }
      if (fieldNode == null) {
        fieldNode = node.additional;
      }
      path.add(field);
      if (fieldNode != null) {
        value(fieldNode, entry.getValue());
      } else if (!node.anyFields) {
        problem(SchemaProblem.Kind.UNKNOWN_FIELD, "is not a field of "
            + (node.title == null ? "this object" : node.title)
            + didYouMean(field, node.properties == null ? List.of() : node.properties.keySet()));
      }
      path.remove(path.size() - 1);
      if (full()) {
        return;
      }
    }
  }

  private SchemaNode embeddedField(String field) {
    return switch (field) {
      case "apiVersion", "kind" -> STRING;
      case "metadata" -> objectMeta;
      default -> null;
    };
  }

  private static final SchemaNode STRING = new SchemaNode();

  static {
    STRING.types = java.util.EnumSet.of(SchemaNode.Type.STRING);
  }

  private void list(SchemaNode node, List<?> list) {
    if (node.maxItems >= 0 && list.size() > node.maxItems) {
      problem(SchemaProblem.Kind.INVALID, "may have at most " + node.maxItems + " items, not "
          + list.size());
    }
    if (node.minItems >= 0 && list.size() < node.minItems) {
      problem(SchemaProblem.Kind.INVALID, "needs at least " + node.minItems + " item"
          + (node.minItems == 1 ? "" : "s"));
    }
    if (node.items == null) {
      return;
    }
    for (int i = 0; i < list.size() && !full(); i++) {
      path.add(i);
      value(node.items, list.get(i));
      path.remove(path.size() - 1);
    }
  }

  /**
   * A Kubernetes quantity as the API server parses one ({@code 500m}, {@code 1.5Gi},
   * {@code 1e3}): {@code "2 cores"} or {@code "1GB"} are refused at apply time.
   */
  private static final Pattern QUANTITY = Pattern.compile(
      "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

  private void string(SchemaNode node, String text) {
    if ("Quantity".equals(node.title) && !QUANTITY.matcher(text).matches()) {
      problem(SchemaProblem.Kind.INVALID, "must be a quantity such as 500m, 2, 1.5Gi or 128Mi, "
          + "not " + describe(text));
    }
    if (node.maxLength >= 0 && text.codePointCount(0, text.length()) > node.maxLength) {
      problem(SchemaProblem.Kind.INVALID, "may be at most " + node.maxLength
          + " characters long, not " + text.length());
    }
    if (node.minLength >= 0 && text.codePointCount(0, text.length()) < node.minLength) {
      problem(SchemaProblem.Kind.INVALID, "must be at least " + node.minLength
          + " character" + (node.minLength == 1 ? "" : "s") + " long");
    }
    if (node.pattern != null && !node.pattern.matcher(text).find()) {
      problem(SchemaProblem.Kind.INVALID, "must match " + node.pattern.pattern() + ", not "
          + describe(text));
    }
    if ("byte".equals(node.format) && !isBase64(text)) {
      problem(SchemaProblem.Kind.INVALID, "must be base64-encoded (put plain text in "
          + "stringData instead), not " + describe(text));
    }
  }

  private void number(SchemaNode node, Number number) {
    if (number instanceof BigInteger
        || "int32".equals(node.format) && number instanceof Long l
            && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
      problem(SchemaProblem.Kind.INVALID, "is out of range for a "
          + ("int32".equals(node.format) ? "32" : "64") + "-bit integer: " + number);
      return;
    }
    double d = number.doubleValue();
    if (node.minimum != null && d < node.minimum.doubleValue()) {
      problem(SchemaProblem.Kind.INVALID, "must be at least " + node.minimum + ", not "
          + describe(number));
    }
    if (node.maximum != null && d > node.maximum.doubleValue()) {
      problem(SchemaProblem.Kind.INVALID, "must be at most " + node.maximum + ", not "
          + describe(number));
    }
  }

  private static boolean accepts(SchemaNode node, Object value) {
    if (value instanceof Map) {
      return node.types.contains(SchemaNode.Type.OBJECT);
    }
    if (value instanceof List) {
      return node.types.contains(SchemaNode.Type.ARRAY);
    }
    if (value instanceof String) {
      return node.types.contains(SchemaNode.Type.STRING);
    }
    if (value instanceof Boolean) {
      return node.types.contains(SchemaNode.Type.BOOLEAN);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
      return node.types.contains(SchemaNode.Type.INTEGER);
    }
    if (value instanceof Double d) {
      // YAML's 2.0 reaches the API server as the JSON number 2: an integer.
      return node.types.contains(SchemaNode.Type.NUMBER)
          || node.types.contains(SchemaNode.Type.INTEGER) && d == Math.rint(d)
              && !Double.isInfinite(d);
    }
    return false;
  }

  private static String expected(SchemaNode node) {
    List<SchemaNode.Type> types = new ArrayList<>(node.types);
    if (types.contains(SchemaNode.Type.NUMBER)) {
      types.remove(SchemaNode.Type.INTEGER);
    }
    return types.stream().map(t -> t.described).collect(Collectors.joining(" or "));
  }

  static String describe(Object value) {
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String text) {
      return "the string " + quote(text);
    }
    if (value instanceof Boolean) {
      return "the boolean " + value;
    }
    return "the number " + value;
  }

  private static String quote(Object value) {
    if (!(value instanceof String text)) {
      return String.valueOf(value);
    }
    String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
    return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static boolean isBase64(String text) {
    try {
      // Go's decoder, which the API server's JSON uses for []byte, skips line breaks.
      Base64.getDecoder().decode(text.replace("\n", "").replace("\r", ""));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String didYouMean(String field, Collection<String> known) {
    String typed = field.toLowerCase(Locale.ROOT);
    return known.stream()
        .map(k -> new Object[] {k, DISTANCE.apply(typed, k.toLowerCase(Locale.ROOT))})
        .filter(c -> (int) c[1] >= 0 && (int) c[1] <= Math.max(1, field.length() / 4))
        .min(Comparator.comparingInt(c -> (int) c[1]))
        .map(c -> " (did you mean " + c[0] + "?)")
        .orElse("");
  }
}
