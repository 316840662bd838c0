package io.stochastic.devops.engine.check;

import java.util.regex.Pattern;

/**
 * Words a check's evaluation error for the people reading the report: cel-java's messages
 * ("No matching overload for function '_>=_'", "evaluation error at <input>:231") describe the
 * interpreter, while the cause is almost always a field of the object with a type the check does
 * not expect — input that schema validation refuses, reaching the checks because it was off or
 * the object's kind has no schema.
 */
final class EvaluationErrors {
  private static final Pattern LOCATION = Pattern.compile("^evaluation error at [^:]*:\\d+: ");
  private static final Pattern TYPE_ERRORS = Pattern.compile(
      "No matching overload|expected a list or a map|Field selections must be performed|"
          + "found no matching overload|no such overload|unsupported .* type");
  static final String WRONG_TYPE = "a field it reads has a type it does not expect (a quoted "
      + "boolean or number, a string where a list or object belongs); audit with schema "
      + "validation on (the default; --crd for a custom resource) to see which";

  private EvaluationErrors() {}

  /** The reason a check could not be evaluated, in plain words. */
  static String describe(String celMessage) {
    if (celMessage == null) {
      return "unknown error";
    }
    String message = LOCATION.matcher(celMessage.strip()).replaceFirst("");
    if (TYPE_ERRORS.matcher(message).find()) {
      return WRONG_TYPE;
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
