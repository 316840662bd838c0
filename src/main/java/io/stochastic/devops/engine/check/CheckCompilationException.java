package io.stochastic.devops.engine.check;

import io.stochastic.devops.engine.EngineException;

/** A check whose CEL does not compile; the message names the policy or file and the check. */
public final class CheckCompilationException extends EngineException {
  public CheckCompilationException(String message) {
    super(message);
  }
}
