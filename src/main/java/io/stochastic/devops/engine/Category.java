package io.stochastic.devops.engine;

import java.util.Locale;

/** What a check protects; used for grouping in reports and the catalog. */
public enum Category {
  SECURITY,
  RELIABILITY,
  EFFICIENCY,
  RUNTIME;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Category parse(String value) {
    for (Category c : values()) {
      if (c.id().equalsIgnoreCase(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown category '" + value
        + "' (expected security, reliability, efficiency or runtime)");
  }
}
