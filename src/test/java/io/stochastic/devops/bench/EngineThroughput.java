package io.stochastic.devops.bench;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import java.nio.file.Path;

/** A quick look at engine throughput outside JMH, for profiling sessions. */
public final class EngineThroughput {
  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args.length > 0 ? args[0] : "target/bench-corpus");
    ObjectSet objects = TestUtils.read(corpus).toObjectSet();
    EffectivePolicy policy = TestUtils.bundle(args.length > 1 ? args[1] : "restricted");
    Engine engine = TestUtils.engine();
    for (int round = 0; round < 8; round++) {
      long start = System.nanoTime();
      AuditResult result = engine.audit(objects, ns -> policy);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("round %d: %d subjects in %.3f s = %.0f subjects/s%n", round,
          result.subjects().size(), seconds, result.subjects().size() / seconds);
    }
  }
}
