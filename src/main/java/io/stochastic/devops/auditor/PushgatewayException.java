package io.stochastic.devops.auditor;

/**
 * A push to the Pushgateway failed for good: a 4xx answer, or every attempt the {@link
 * RetryPolicy} allowed failed. The message is one line fit for a user: the gateway's address,
 * the last cause and how many attempts were made.
 */
public final class PushgatewayException extends RuntimeException {
  private final String address;
  private final int attempts;
  private final int status;

  PushgatewayException(String message, String address, int attempts, int status,
      Throwable cause) {
    super(message, cause);
    this.address = address;
    this.attempts = attempts;
    this.status = status;
  }

  /** The Pushgateway address as configured. */
  public String address() {
    return address;
  }

  public int attempts() {
    return attempts;
  }

  /** The HTTP status of the last answer, or 0 when the last attempt got none. */
  public int status() {
    return status;
  }
}
