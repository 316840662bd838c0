package io.stochastic.devops.engine;

import java.util.Locale;
import java.util.Optional;

/** Severity of a check result; the weight is what scoring counts (DESIGN.md §1, contract). */
public enum Severity {
  CRITICAL(10),
  HIGH(5),
  MEDIUM(2),
  LOW(1);

  /** The word a policy uses to disable a check instead of giving it a severity. */
  public static final String OFF = "off";

  private final int weight;

  Severity(int weight) {
    this.weight = weight;
  }

  public int weight() {
    return weight;
  }

  /** The lower-case name used in policies, reports and flags. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isAtLeast(Severity other) {
    return weight >= other.weight;
  }

  /** Parses a severity name; throws {@link IllegalArgumentException} naming the valid values. */
  public static Severity parse(String value) {
    for (Severity s : values()) {
      if (s.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + value + "' (expected critical, high, medium or low)");
  }

  /** Parses a severity or {@code off}; empty means the check is disabled. */
  public static Optional<Severity> parseOrOff(String value) {
    if (OFF.equalsIgnoreCase(value == null ? "" : value.trim())) {
      return Optional.empty();
    }
    return Optional.of(parse(value));
  }
}
