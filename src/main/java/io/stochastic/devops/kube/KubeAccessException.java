package io.stochastic.devops.kube;

/** The cluster cannot be reached or the kubeconfig does not name it (exit code 2). */
public class KubeAccessException extends RuntimeException {
  public KubeAccessException(String message) {
    super(message);
  }

  public KubeAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
