package io.stochastic.devops.engine.input;

/**
 * Bounds on what one manifest document may cost to read, so hostile input (alias bombs, huge
 * scalars, deep nesting) fails fast with a clear error instead of exhausting memory or time.
 *
 * @param maxDocumentChars characters in one document (default 16 Mi: room for a large
 *     {@code kubectl get -A -o yaml} List, which is one document)
 * @param maxLineChars characters in one line (default 3 Mi, the API server's request limit:
 *     no valid field value is longer; YAML scanning of one long line is superlinear)
 * @param maxAliases YAML aliases to collections per document (default 50)
 * @param maxNestingDepth nested collections in one document (default 100)
 * @param maxExpandedNodes nodes a document that uses aliases may have once they are expanded
 *     (default 1 M; a document without aliases is bounded by its size)
 */
public record ReadLimits(int maxDocumentChars, int maxLineChars, int maxAliases,
    int maxNestingDepth, long maxExpandedNodes) {
  /**
   * Characters in one number (JSON or YAML), Jackson's default: converting a longer one costs
   * more than linear time, and no Kubernetes field holds such a number.
   */
  public static final int MAX_NUMBER_CHARS = 1000;

  public static final ReadLimits DEFAULT =
      new ReadLimits(16 * 1024 * 1024, 3 * 1024 * 1024, 50, 100, 1_000_000);
}
