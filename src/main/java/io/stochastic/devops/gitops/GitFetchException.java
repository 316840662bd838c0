package io.stochastic.devops.gitops;

/** The repository could not be fetched or read; nothing may be applied or pruned from it. */
public final class GitFetchException extends Exception {
  public GitFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
