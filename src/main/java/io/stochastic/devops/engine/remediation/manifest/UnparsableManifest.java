package io.stochastic.devops.engine.remediation.manifest;

/** A file that is not YAML {@code fix} can edit: it is left as it is. */
public final class UnparsableManifest extends Exception {
  private static final long serialVersionUID = 1L;

  public UnparsableManifest(String message, Throwable cause) {
    super(message, cause);
  }
}
