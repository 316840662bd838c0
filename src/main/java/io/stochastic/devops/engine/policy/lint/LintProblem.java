package io.stochastic.devops.engine.policy.lint;

/**
 * One problem {@code policy lint} found.
 *
 * @param file the file, as given or found under a directory ({@code <stdin>} for stdin)
 * @param document the document in the file: its 0-based index, with {@code .items[i]} for an
 *     item of a List; null when the file itself could not be read
 * @param line the 1-based line of the field at fault (or of the nearest enclosing one that
 *     exists), 0 when unknown
 * @param field where in the object
 * @param policy the policy's name ({@code namespace/name} when it names a namespace), or null
 */
public record LintProblem(String file, String document, int line, FieldPath field,
    String message, LintRule rule, LintSeverity severity, String policy) {

  /** {@code file#document}, as the rest of kube-devops names documents. */
  public String source() {
    return document == null ? file : file + "#" + document;
  }

  @Override
  public String toString() {
    return source() + (line > 0 ? ":" + line : "") + ": " + severity.id() + ": " + field + ": "
        + message;
  }
}
