package io.stochastic.devops.engine.policy.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where in an object a problem is, as users write it: {@code spec.customChecks[0].expression},
 * {@code metadata.annotations["example.com/team"]}. Segments are map keys (strings) and list
 * indexes (integers).
 */
public record FieldPath(List<Object> segments) {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
  public static final FieldPath ROOT = new FieldPath(List.of());

  public FieldPath {
    segments = List.copyOf(segments);
  }

  /** A path of map keys: {@code FieldPath.of("spec", "bundle")}. */
  public static FieldPath of(Object... segments) {
    return new FieldPath(List.of(segments));
  }

  public FieldPath child(String key) {
    return append(key);
  }

  public FieldPath index(int index) {
    return append(index);
  }

  private FieldPath append(Object segment) {
    List<Object> longer = new ArrayList<>(segments);
    longer.add(segment);
    return new FieldPath(longer);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  @Override
  public String toString() {
    if (segments.isEmpty()) {
      return "(document)";
    }
    StringBuilder text = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else if (PLAIN_KEY.matcher(segment.toString()).matches()) {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(segment);
      } else {
        text.append("[\"").append(segment.toString().replace("\"", "\\\"")).append("\"]");
      }
    }
    return text.toString();
  }
}
