package io.stochastic.devops.cli;

/**
 * An error the user can act on (bad flag value, unreadable file, malformed manifest). Printed as
 * one line naming what is at fault; exit code 2.
 */
public class UserException extends RuntimeException {
  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
