package io.stochastic.devops.bench;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import java.nio.file.Path;
import java.util.Arrays;

/** A quick look at engine throughput outside JMH, for profiling sessions. */
public final class EngineThroughput {
  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args.length > 0 ? args[0] : "target/bench-corpus");
    ObjectSet objects = TestUtils.read(corpus).toObjectSet();
    EffectivePolicy policy = TestUtils.bundle(args.length > 1 ? args[1] : "restricted");
    Engine engine = TestUtils.engine();
    int rounds = Integer.getInteger("rounds", 8);
    double[] rates = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      AuditResult result = engine.audit(objects, ns -> policy);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("round %d: %d subjects in %.3f s = %.0f subjects/s%n", round,
          result.subjects().size(), seconds, result.subjects().size() / seconds);
      rates[round] = result.subjects().size() / seconds;
    }
    // The median of the second half: the first rounds warm the JIT up.
    double[] warm = Arrays.copyOfRange(rates, rounds / 2, rounds);
    Arrays.sort(warm);
    System.out.printf("median of the last %d rounds: %.0f subjects/s%n", warm.length,
        warm[warm.length / 2]);
  }
}
