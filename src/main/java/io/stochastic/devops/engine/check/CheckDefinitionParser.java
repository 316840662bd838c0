package io.stochastic.devops.engine.check;

import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.workload.ContainerType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the map of a check file into a {@link CheckDefinition}, naming any field at fault. */
public final class CheckDefinitionParser {
  private static final Pattern ID = Pattern.compile("^[a-z][A-Za-z0-9]*$");
  private static final Set<String> FIELDS = Set.of("id", "category", "target", "severity",
      "description", "howToFix", "message", "when", "expression", "value", "kinds",
      "excludeKinds", "containers", "params", "patch", "riskyFix", "references");
  private static final Set<String> PATCH_OPS = Set.of("add", "remove", "replace");

  private CheckDefinitionParser() {}

  /**
   * @param origin names the file or policy the map came from, for error messages
   */
  public static CheckDefinition parse(String origin, Map<String, Object> map, boolean custom) {
    for (String key : map.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new EngineException(origin + ": unknown field '" + key + "'");
      }
    }
    String id = requiredString(origin, map, "id");
    if (!ID.matcher(id).matches()) {
      throw new EngineException(origin + ": id '" + id + "' must be lowerCamelCase");
    }
    String where = origin + ": check " + id;
    try {
      Target target = Target.parse(stringOr(map, "target", "workload"));
      Set<String> kinds = stringSet(map, "kinds");
      if (target == Target.OBJECT && kinds.isEmpty()) {
        throw new IllegalArgumentException("target object needs 'kinds'");
      }
      if (kinds.contains(CheckDefinition.ANY_KIND)
          && (target != Target.OBJECT || kinds.size() > 1)) {
        throw new IllegalArgumentException("kinds [\"*\"] (every kind) is for target object "
            + "alone, without other kinds");
      }
      Set<ContainerType> containerTypes = EnumSet.noneOf(ContainerType.class);
      for (String t : stringSet(map, "containers")) {
        containerTypes.add(ContainerType.parse(t));
      }
      if (containerTypes.isEmpty()) {
        containerTypes.add(ContainerType.CONTAINER);
        containerTypes.add(ContainerType.INIT_CONTAINER);
      }
      return new CheckDefinition(
          id,
          Category.parse(stringOr(map, "category", "reliability")),
          target,
          Severity.parse(stringOr(map, "severity", "medium")),
          stringOr(map, "description", ""),
          stringOr(map, "howToFix", ""),
          stringOr(map, "message", "${kind} ${name} failed " + id),
          stringOr(map, "when", null),
          requiredString(where, map, "expression"),
          stringOr(map, "value", null),
          kinds,
          stringSet(map, "excludeKinds"),
          Set.copyOf(containerTypes),
          params(map),
          patch(map),
          List.copyOf(stringSet(map, "references")),
          riskyFix(map),
          custom);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new EngineException(where + ": " + e.getMessage(), e);
    }
  }

  private static boolean riskyFix(Map<String, Object> map) {
    Object value = map.getOrDefault("riskyFix", false);
    if (!(value instanceof Boolean risky)) {
      throw new IllegalArgumentException("field 'riskyFix' must be true or false");
    }
    if (risky && !map.containsKey("patch")) {
      throw new IllegalArgumentException("field 'riskyFix' needs a 'patch'");
    }
    return risky;
  }

  private static String requiredString(String where, Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new EngineException(where + ": field '" + key + "' is required");
    }
    return s;
  }

  private static String stringOr(Map<String, Object> map, String key, String fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String)) {
      throw new IllegalArgumentException("field '" + key + "' must be a string");
    }
    return ((String) value).strip();
  }

  private static Set<String> stringSet(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("field '" + key + "' must be a list of strings");
    }
    Set<String> result = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw new IllegalArgumentException("field '" + key + "' must be a list of strings");
      }
      result.add(s);
    }
    // Keep the file's order: references and kinds are shown as written.
    return java.util.Collections.unmodifiableSet(result);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> map) {
    Object value = map.get("params");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("field 'params' must be a map");
    }
    return new LinkedHashMap<>((Map<String, Object>) value);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> patch(Map<String, Object> map) {
    Object value = map.get("patch");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("field 'patch' must be a list of JSON Patch operations");
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Map)) {
        throw new IllegalArgumentException("each 'patch' entry must be a JSON Patch operation");
      }
      Map<String, Object> op = (Map<String, Object>) item;
      if (!PATCH_OPS.contains(String.valueOf(op.get("op")))) {
        throw new IllegalArgumentException("patch op '" + op.get("op")
            + "' is not supported (expected add, remove or replace)");
      }
      if (!(op.get("path") instanceof String path) || !path.startsWith("/")) {
        throw new IllegalArgumentException("patch path must be a JSON pointer starting with /");
      }
      if (!"remove".equals(op.get("op")) && !op.containsKey("value")) {
        throw new IllegalArgumentException("patch op " + op.get("op") + " " + path
            + " needs a value");
      }
      ops.add(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(op)));
    }
    return List.copyOf(ops);
  }
}
