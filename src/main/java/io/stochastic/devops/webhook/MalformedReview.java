package io.stochastic.devops.webhook;

/** A request body that is not an AdmissionReview v1 with a request: answered with a 400. */
public final class MalformedReview extends RuntimeException {
  public MalformedReview(String message) {
    super(message);
  }

  public MalformedReview(String message, Throwable cause) {
    super(message, cause);
  }
}
