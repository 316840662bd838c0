package io.stochastic.devops.engine.remediation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A check's remediation patch as written in its file: JSON Patch operations whose paths are
 * relative to what the check judged, and whose values may name a policy remediation setting as
 * a whole string, {@code "${livenessProbe}"} or {@code "${resources.limits.cpu}"}. A patch that
 * names a setting the policy does not give cannot be applied: the check is then not remediable.
 */
public final class PatchTemplate {
  private static final Pattern REFERENCE = Pattern.compile("^\\$\\{([A-Za-z0-9_.-]+)\\}$");

  private PatchTemplate() {}

  public static boolean resolvable(List<Map<String, Object>> patch, Map<String, Object> settings) {
    return !patch.isEmpty() && instantiate(patch, "", settings).isPresent();
  }

  /**
   * The operations with paths under {@code basePointer} and settings substituted, or empty when
   * a setting is missing.
   */
  public static Optional<List<Map<String, Object>>> instantiate(List<Map<String, Object>> patch,
      String basePointer, Map<String, Object> settings) {
    List<Map<String, Object>> ops = new ArrayList<>();
    for (Map<String, Object> template : patch) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("op", template.get("op"));
      op.put("path", basePointer + template.get("path"));
      if (template.containsKey("value")) {
        Optional<Object> value = substitute(template.get("value"), settings);
        if (value.isEmpty()) {
          return Optional.empty();
        }
        op.put("value", value.get());
      }
      ops.add(op);
    }
    return Optional.of(ops);
  }

  @SuppressWarnings("unchecked")
  private static Optional<Object> substitute(Object value, Map<String, Object> settings) {
    if (value instanceof String s) {
      Matcher m = REFERENCE.matcher(s);
      return m.matches() ? lookup(settings, m.group(1)) : Optional.of(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        Optional<Object> v = substitute(e.getValue(), settings);
        if (v.isEmpty()) {
          return Optional.empty();
        }
        result.put(e.getKey(), v.get());
      }
      return Optional.of(result);
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      for (Object item : list) {
        Optional<Object> v = substitute(item, settings);
        if (v.isEmpty()) {
          return Optional.empty();
        }
        result.add(v.get());
      }
      return Optional.of(result);
    }
    return Optional.ofNullable(value);
  }

  private static Optional<Object> lookup(Map<String, Object> settings, String dottedPath) {
    Object current = settings;
    for (String part : dottedPath.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
        return Optional.empty();
      }
      current = map.get(part);
    }
    return Optional.ofNullable(current);
  }
}
