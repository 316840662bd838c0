package io.stochastic.devops.report;

import io.stochastic.devops.engine.Classification;
import io.stochastic.devops.engine.Severity;

/** ANSI colours for terminal output; a no-op when colour is off. */
final class Ansi {
  private static final String RESET = "\u001b[0m";
  private final boolean enabled;

  Ansi(boolean enabled) {
    this.enabled = enabled;
  }

  String bold(String text) {
    return wrap("\u001b[1m", text);
  }

  String dim(String text) {
    return wrap("\u001b[2m", text);
  }

  String severity(Severity severity, String text) {
    return switch (severity) {
      case CRITICAL -> wrap("\u001b[1;31m", text);
      case HIGH -> wrap("\u001b[31m", text);
      case MEDIUM -> wrap("\u001b[33m", text);
      case LOW -> wrap("\u001b[36m", text);
    };
  }

  String classification(Classification classification, String text) {
    return switch (classification) {
      case Healthy -> wrap("\u001b[32m", text);
      case Stable -> wrap("\u001b[36m", text);
      case Degraded -> wrap("\u001b[33m", text);
      case Critical -> wrap("\u001b[1;31m", text);
    };
  }

  String passed(String text) {
    return wrap("\u001b[32m", text);
  }

  private String wrap(String code, String text) {
    return enabled ? code + text + RESET : text;
  }
}
