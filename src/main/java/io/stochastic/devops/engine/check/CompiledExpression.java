package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelRuntime;

/**
 * One CEL expression of a check, compiled for cel-java's interpreter and, when
 * {@link DirectCompiler} knows every construct in it, also to a {@link DirectExpression}.
 *
 * @param interpreted cel-java's program: the reference, and what decides when the direct
 *     evaluation bails out
 * @param direct the closure tree, or null when the expression uses something it does not cover
 */
record CompiledExpression(CelRuntime.Program interpreted, DirectExpression direct) {}
