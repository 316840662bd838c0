package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelRuntime;

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
  private final CelRuntime.Program expression;
  private final CelRuntime.Program when;
  private final CelRuntime.Program value;

  private CompiledCheck(CheckDefinition definition, CelRuntime.Program expression,
      CelRuntime.Program when, CelRuntime.Program value) {
    this.definition = definition;
    this.expression = expression;
    this.when = when;
    this.value = value;
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

  Outcome evaluate(Bindings bindings, CelFunctionResolver related) {
    try {
      if (when != null && !Boolean.TRUE.equals(when.eval(bindings, related))) {
        return Outcome.NOT_APPLICABLE;
      }
      Object result = expression.eval(bindings, related);
      if (Boolean.TRUE.equals(result)) {
        return Outcome.PASS;
      }
      if (!(result instanceof Boolean)) {
        return new Outcome(Verdict.ERROR, null, "expression gave " + result + ", not a bool");
      }
      return new Outcome(Verdict.FAIL, value == null ? null : value.eval(bindings, related),
          null);
    } catch (CelEvaluationException | RuntimeException e) {
      return new Outcome(Verdict.ERROR, null, e.getMessage());
    }
  }
}
