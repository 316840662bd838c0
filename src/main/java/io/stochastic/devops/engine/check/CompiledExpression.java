package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelRuntime;
import java.util.function.Supplier;

/**
 * One CEL expression of a check: cel-java's program and, when {@link DirectCompiler} knows every
 * construct in it, a {@link DirectExpression}. cel-java's program is built on first use when the
 * direct form exists, since most expressions never need it.
 */
final class CompiledExpression {
  private final DirectExpression direct;
  private Supplier<CelRuntime.Program> compiler;
  private CelRuntime.Program interpreted;

  CompiledExpression(DirectExpression direct, Supplier<CelRuntime.Program> interpreted) {
    this.direct = direct;
    this.compiler = interpreted;
  }

  /** The closure tree, or null when the expression uses something it does not cover. */
  DirectExpression direct() {
    return direct;
  }

  /** cel-java's program: the reference, and what decides when the direct evaluation bails out. */
  synchronized CelRuntime.Program interpreted() {
    if (interpreted == null) {
      interpreted = compiler.get();
      compiler = null;
    }
    return interpreted;
  }
}
