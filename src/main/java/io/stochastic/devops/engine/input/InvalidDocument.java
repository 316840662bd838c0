package io.stochastic.devops.engine.input;

/** A document that could not be read as a Kubernetes object, and why, in one line. */
public record InvalidDocument(String source, String problem) {
  @Override
  public String toString() {
    return source + ": " + problem;
  }
}
