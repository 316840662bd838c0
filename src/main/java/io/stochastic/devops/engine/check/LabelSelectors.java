package io.stochastic.devops.engine.check;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector semantics over plain maps: a LabelSelector ({@code matchLabels} and
 * {@code matchExpressions}, all of which must hold; an empty selector matches everything), or a
 * plain map of labels as Services and ReplicationControllers use.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** True when {@code labels} satisfy {@code selector}; a null selector matches nothing. */
  public static boolean matches(Object selector, Object labels) {
    if (!(selector instanceof Map<?, ?> sel)) {
      return false;
    }
    Map<?, ?> actual = labels instanceof Map<?, ?> l ? l : Map.of();
    boolean structured = sel.containsKey("matchLabels") || sel.containsKey("matchExpressions");
    if (!structured) {
      return containsAll(actual, sel);
    }
    if (sel.get("matchLabels") instanceof Map<?, ?> matchLabels && !containsAll(actual,
        matchLabels)) {
      return false;
    }
    if (sel.get("matchExpressions") instanceof List<?> expressions) {
      for (Object e : expressions) {
        if (!(e instanceof Map<?, ?> expression) || !holds(expression, actual)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean containsAll(Map<?, ?> actual, Map<?, ?> wanted) {
    for (Map.Entry<?, ?> entry : wanted.entrySet()) {
      Object value = actual.get(entry.getKey());
      if (value == null || !value.toString().equals(String.valueOf(entry.getValue()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(Map<?, ?> expression, Map<?, ?> labels) {
    Object key = expression.get("key");
    String operator = String.valueOf(expression.get("operator"));
    List<?> values = expression.get("values") instanceof List<?> v ? v : List.of();
    Object value = labels.get(key);
    switch (operator) {
      case "In":
        return value != null && values.stream().anyMatch(v -> v.toString().equals(value.toString()));
      case "NotIn":
        return value == null
            || values.stream().noneMatch(v -> v.toString().equals(value.toString()));
      case "Exists":
        return labels.containsKey(key);
      case "DoesNotExist":
        return !labels.containsKey(key);
      default:
        return false;
    }
  }
}
