package io.stochastic.devops.engine.check;

import io.stochastic.devops.engine.check.CelEnvironment.RelatedObjects;

/**
 * A type-checked CEL expression compiled by {@link DirectCompiler} into a tree of Java closures
 * that work on the engine's plain values (maps, lists, strings, longs, doubles, booleans).
 *
 * <p>cel-java's interpreter costs about 1.8 µs per check result, most of it its own bookkeeping;
 * a closure tree does the same field lookups directly (the engine runs 4.5 times faster with it,
 * see docs/benchmarks.md). It covers the plain case only: whenever evaluation meets anything
 * else (an error such as a missing key, a value of a type it does not handle, a conversion whose
 * edge cases it does not reproduce) it throws
 * {@link Bail}, and the caller evaluates the whole check again with cel-java, whose result or
 * error is then the answer. So a direct evaluation either returns what cel-java would, or
 * nothing; {@code DirectEvaluationTest} holds it to that on every fixture and a generated corpus.
 */
final class DirectExpression {
  /** One node of the compiled tree. */
  @FunctionalInterface
  interface Node {
    Object eval(Frame frame);
  }

  /** A node whose value is known when compiling. */
  record Constant(Object value) implements Node {
    @Override
    public Object eval(Frame frame) {
      return value;
    }
  }

  /** What one evaluation reads: the bound variables, related objects, comprehension variables. */
  static final class Frame {
    private static final Object[] NO_LOCALS = {};

    final Bindings bindings;
    final RelatedObjects related;
    final Object[] locals;

    Frame(Bindings bindings, RelatedObjects related, int locals) {
      this.bindings = bindings;
      this.related = related;
      this.locals = locals == 0 ? NO_LOCALS : new Object[locals];
    }
  }

  /**
   * The evaluation left the plain case; cel-java decides. Preallocated and without a stack trace:
   * it is control flow, and must cost no more than a return.
   */
  static final class Bail extends RuntimeException {
    static final Bail INSTANCE = new Bail();

    private Bail() {
      super("outside the direct evaluator's plain case", null, false, false);
    }
  }

  private final Node root;
  private final int locals;

  DirectExpression(Node root, int locals) {
    this.root = root;
    this.locals = locals;
  }

  /** The expression's value; throws {@link Bail} when cel-java must evaluate it instead. */
  Object eval(Bindings bindings, RelatedObjects related) {
    Object value = root.eval(new Frame(bindings, related, locals));
    if (value instanceof CelValueSemantics.TypeValue) {
      throw Bail.INSTANCE; // cel-java's type values print differently
    }
    return value;
  }
}
