package io.stochastic.devops.cli;

import java.util.List;
import java.util.Locale;

/** Parses and lists the values of an {@code -o} option, lower-case as users type them. */
final class OutputFormat {
  private OutputFormat() {}

  static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new UserException("invalid value '" + value + "' for " + option + " (expected "
        + String.join(", ", names(type)) + ")");
  }

  static <E extends Enum<E>> List<String> names(Class<E> type) {
    return java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
  }
}
