package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelFunctionResolver;
import io.stochastic.devops.engine.check.CelEnvironment.RelatedObjects;

/**
 * What {@code related(kind)} finds for the subjects of one namespace, in the two forms the
 * evaluators take: a plain lookup for the direct one, a late-bound function for cel-java's.
 */
final class RelatedLookup {
  private final RelatedObjects objects;
  private CelFunctionResolver resolver;

  RelatedLookup(RelatedObjects objects) {
    this.objects = objects;
  }

  RelatedObjects objects() {
    return objects;
  }

  /** Built on first use: most evaluations never reach cel-java. */
  CelFunctionResolver resolver() {
    if (resolver == null) {
      resolver = CelEnvironment.relatedFunction(objects);
    }
    return resolver;
  }
}
