package io.stochastic.devops.cli;

/** Exit codes (DESIGN.md §3, contract). */
public final class ExitCode {
  /** Success, no policy failure. */
  public static final int OK = 0;
  /** The policy gate failed (--fail-below, --fail-on), or a diff found differences. */
  public static final int POLICY_FAILED = 1;
  /** Usage error, unreadable or malformed input, or the cluster could not be reached. */
  public static final int ERROR = 2;

  private ExitCode() {}
}
