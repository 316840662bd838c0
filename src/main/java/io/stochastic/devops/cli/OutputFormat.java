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
    throw invalid(value, option, names(type));
  }

  /** The one line of an option value that is not one of {@code allowed}, with a suggestion. */
  static UserException invalid(String value, String option, List<String> allowed) {
    return new UserException("invalid value '" + value + "' for " + option + " (expected "
        + String.join(", ", allowed) + Suggestions.didYouMean(value, allowed) + ")");
  }

  static <E extends Enum<E>> List<String> names(Class<E> type) {
    return java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
  }
}
