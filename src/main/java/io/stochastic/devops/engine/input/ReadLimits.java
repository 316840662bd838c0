package io.stochastic.devops.engine.input;

/**
 * Bounds on what one manifest document may cost to parse, so hostile input (alias bombs, huge
 * scalars, deep nesting) fails with a clear error instead of exhausting memory.
 *
 * @param maxDocumentCodePoints characters in one YAML/JSON document (default 8 Mi)
 * @param maxAliases YAML aliases per document (default 50, SnakeYAML's own default)
 * @param maxNestingDepth nested collections in one document (default 100)
 */
public record ReadLimits(int maxDocumentCodePoints, int maxAliases, int maxNestingDepth) {
  public static final ReadLimits DEFAULT = new ReadLimits(8 * 1024 * 1024, 50, 100);
}
