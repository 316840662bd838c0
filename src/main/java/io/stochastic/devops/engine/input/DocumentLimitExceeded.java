package io.stochastic.devops.engine.input;

/** A document refused for its size, shape or aliases; the message is shown to the user. */
final class DocumentLimitExceeded extends RuntimeException {
  DocumentLimitExceeded(String message) {
    super(message);
  }
}
