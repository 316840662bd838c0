package io.stochastic.devops.gitops;

import java.nio.file.Path;

/** A credentials file cannot be used; the message names the file and says why, in one line. */
public final class GitAuthException extends Exception {
  private final transient Path file;

  public GitAuthException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
