package io.stochastic.devops.cli;

import java.lang.reflect.Method;
import java.util.Map;

/** What the CLI knows of where its output goes: a terminal or not, and NO_COLOR. */
public record Terminal(boolean interactive, Map<String, String> environment) {
  static final java.util.List<String> COLOR_MODES = java.util.List.of("auto", "always", "never");

  public static Terminal detect() {
    return new Terminal(stdoutIsTerminal(), System.getenv());
  }

  /**
   * Whether to colour output: {@code always}, {@code never}, or {@code auto} (a terminal, NO_COLOR
   * unset or empty, TERM not {@code dumb}; see https://no-color.org); any other value is a usage
   * error listing these.
   */
  public boolean color(String mode) {
    return switch (mode) {
      case "always" -> true;
      case "never" -> false;
      case "auto" -> interactive
          && environment.getOrDefault("NO_COLOR", "").isEmpty()
          && !"dumb".equals(environment.get("TERM"));
      default -> throw OutputFormat.invalid(mode, "--color", COLOR_MODES);
    };
  }

  private static boolean stdoutIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    // Java 22+ returns a console even when redirected; Console.isTerminal() tells the truth.
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
