package io.stochastic.devops.engine;

/**
 * A problem with input the engine was given (a check, a policy, a manifest), with a message that
 * names the object at fault and is fit to show a user as one line.
 */
public class EngineException extends RuntimeException {
  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
