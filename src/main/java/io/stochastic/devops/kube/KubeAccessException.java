package io.stochastic.devops.kube;

/**
 * The cluster cannot be reached, the kubeconfig does not name it, or it refused a request
 * ({@link ClusterRequestException}): one line for the user, exit code 2.
 */
public class KubeAccessException extends RuntimeException {
  public KubeAccessException(String message) {
    super(message);
  }

  public KubeAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
