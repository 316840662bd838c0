package io.stochastic.devops.kube;

/**
 * The cluster answered but refused or failed one request (a conflict, an invalid object, a
 * missing CRD or namespace): the message says which request and why, in one line. Commands that
 * handle many objects report it for the object and go on with the next.
 */
public class ClusterRequestException extends KubeAccessException {
  private final int code;

  public ClusterRequestException(String message, int code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The HTTP status code the API server answered with. */
  public int code() {
    return code;
  }
}
