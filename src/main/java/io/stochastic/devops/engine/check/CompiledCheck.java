package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionResolver;

/** A check whose CEL expressions are compiled once, ready to evaluate on any subject. */
public final class CompiledCheck {
  /** What one evaluation found. */
  public enum Verdict { PASS, FAIL, NOT_APPLICABLE, ERROR }

  /** A verdict, with the ${value} for the message or the error's text. */
  public record Outcome(Verdict verdict, Object value, String error) {
    static final Outcome PASS = new Outcome(Verdict.PASS, null, null);
    static final Outcome NOT_APPLICABLE = new Outcome(Verdict.NOT_APPLICABLE, null, null);
  }

  private final CheckDefinition definition;
  private final CompiledExpression expression;
  private final CompiledExpression when;
  private final CompiledExpression value;
  /** Whether every expression of the check has a direct form. */
  private final boolean direct;

  private CompiledCheck(CheckDefinition definition, CompiledExpression expression,
      CompiledExpression when, CompiledExpression value) {
    this.definition = definition;
    this.expression = expression;
    this.when = when;
    this.value = value;
    this.direct = expression.direct() != null && (when == null || when.direct() != null)
        && (value == null || value.direct() != null);
  }

  /** @param origin the file or policy the check comes from, for error messages */
  public static CompiledCheck compile(CheckDefinition definition, CelEnvironment environment,
      String origin) {
    String where = origin + ": check " + definition.id();
    return new CompiledCheck(definition,
        environment.compile(where + " (expression)", definition.expression(), true),
        definition.when() == null ? null
            : environment.compile(where + " (when)", definition.when(), true),
        definition.value() == null ? null
            : environment.compile(where + " (value)", definition.value(), false));
  }

  public CheckDefinition definition() {
    return definition;
  }

  public String id() {
    return definition.id();
  }

  /** Whether the check is evaluated directly (see {@link DirectExpression}). */
  boolean isDirect() {
    return direct;
  }

  Outcome evaluate(Bindings bindings, RelatedLookup related, boolean allowDirect) {
    if (direct && allowDirect) {
      Outcome outcome = evaluateDirectly(bindings, related);
      if (outcome != null) {
        return outcome;
      }
    }
    return evaluateInterpreted(bindings, related.resolver());
  }

  /** The outcome of the direct evaluation; null when it bails out and cel-java must decide. */
  Outcome evaluateDirectly(Bindings bindings, RelatedLookup related) {
    try {
      Outcome outcome = judge(e -> e.direct().eval(bindings, related.objects()));
      return outcome.verdict() == Verdict.ERROR ? null : outcome; // cel-java words the error
    } catch (DirectExpression.Bail | CelEvaluationException e) {
      return null; // the direct evaluator throws only Bail; the other is the interface's
    }
  }

  Outcome evaluateInterpreted(Bindings bindings, CelFunctionResolver related) {
    try {
      return judge(e -> e.interpreted().eval(bindings, related));
    } catch (CelEvaluationException | RuntimeException e) {
      return new Outcome(Verdict.ERROR, null, e.getMessage());
    }
  }

  /** One evaluator of the check's expressions. */
  @FunctionalInterface
  private interface Evaluator {
    Object eval(CompiledExpression expression) throws CelEvaluationException;
  }

  /** The check's verdict: its {@code when}, then its expression, then the failure's value. */
  private Outcome judge(Evaluator evaluator) throws CelEvaluationException {
    if (when != null && !Boolean.TRUE.equals(evaluator.eval(when))) {
      return Outcome.NOT_APPLICABLE;
    }
    Object result = evaluator.eval(expression);
    if (Boolean.TRUE.equals(result)) {
      return Outcome.PASS;
    }
    if (!(result instanceof Boolean)) {
      return new Outcome(Verdict.ERROR, null, "expression gave " + result + ", not a bool");
    }
    return new Outcome(Verdict.FAIL, value == null ? null : evaluator.eval(value), null);
  }
}
