package io.stochastic.devops.engine.input.schema;

import java.util.List;

/**
 * One way an object differs from its schema: where (the field path from the object's root),
 * what, and whether it makes the object unreadable by the API server or is only suspect.
 */
record SchemaProblem(List<Object> path, Kind kind, String message) {
  enum Kind {
    /** The API server would refuse the object: wrong type, missing required field, bad value. */
    INVALID,
    /** A field the schema does not declare: refused by strict clients, else dropped. */
    UNKNOWN_FIELD,
    /** A known kind under an API version the schema's Kubernetes version does not serve. */
    UNSERVED_VERSION
  }

  /** The path as users write it: {@code spec.containers[0].ports}, {@code labels["a.b/c"]}. */
  String pathText() {
    return pathText(path);
  }

  static String pathText(List<Object> path) {
    StringBuilder text = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        String field = segment.toString();
        if (field.matches("[A-Za-z_$][A-Za-z0-9_$-]*")) {
          text.append(text.length() == 0 ? "" : ".").append(field);
        } else {
          text.append("[\"").append(field.replace("\"", "\\\"")).append("\"]");
        }
      }
    }
    return text.toString();
  }
}
