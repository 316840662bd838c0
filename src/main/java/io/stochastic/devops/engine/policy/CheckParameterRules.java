package io.stochastic.devops.engine.policy;

import java.util.List;
import java.util.Map;

/**
 * What a value of {@code spec.checkParameters.<check>.<parameter>} must be: a parameter the check
 * declares, with a value of the type of its default (a list, a number, a string, a boolean; a
 * whole number where the default is one; list items of the type of the default's items). The
 * resolver and {@code policy lint} judge by the same rule.
 */
public final class CheckParameterRules {
  private CheckParameterRules() {}

  /**
   * What is wrong with setting {@code name} of check {@code id}, whose parameters and their
   * defaults are {@code declared}, to {@code value}; null when nothing is.
   */
  public static String problem(String id, Map<String, Object> declared, String name,
      Object value) {
    if (!declared.containsKey(name)) {
      return "check " + id + (declared.isEmpty() ? " has no parameters"
          : " has no parameter " + name + " (its parameters: "
              + String.join(", ", declared.keySet().stream().sorted().toList()) + ")");
    }
    Object standard = declared.get(name);
    String expected = kind(standard);
    String actual = kind(value);
    if (!expected.equals(actual)) {
      return "parameter " + name + " of check " + id + " takes " + expected + " (its default is "
          + standard + "), not " + actual;
    }
    if (isWhole(standard) && !isWhole(value)) {
      return "parameter " + name + " of check " + id + " takes a whole number (its default is "
          + standard + "), not " + value;
    }
    if (standard instanceof List<?> defaults && !defaults.isEmpty()
        && value instanceof List<?> items) {
      String itemKind = kind(defaults.get(0));
      for (int i = 0; i < items.size(); i++) {
        if (!itemKind.equals(kind(items.get(i)))) {
          return "parameter " + name + " of check " + id + " takes a list of " + plural(itemKind)
              + ", but item " + i + " is " + kind(items.get(i));
        }
      }
    }
    return null;
  }

  /** The value as checks read it: whole numbers as longs, like the numeric toggles. */
  public static Object normalise(Object value) {
    if (value instanceof Number n && isWhole(n)) {
      return n.longValue();
    }
    if (value instanceof List<?> items) {
      return items.stream().map(CheckParameterRules::normalise).toList();
    }
    return value;
  }

  private static boolean isWhole(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof java.math.BigInteger;
  }

  private static String kind(Object value) {
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Map) {
      return "an object";
    }
    return "null";
  }

  private static String plural(String kind) {
    return kind.substring(kind.indexOf(' ') + 1) + "s";
  }
}
