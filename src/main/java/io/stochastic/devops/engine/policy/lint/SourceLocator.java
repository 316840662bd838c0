package io.stochastic.devops.engine.policy.lint;

import io.stochastic.devops.engine.input.KubeObject;

/** Finds the line of a field in the document an object was read from. */
public interface SourceLocator {
  /**
   * The 1-based line of {@code field} in {@code object}'s document, or of the nearest enclosing
   * field that exists there; the document's first line when nothing better is known (0 if not
   * even that).
   */
  int line(KubeObject object, FieldPath field);
}
