package io.stochastic.devops.bench;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cost of each check of a bundle alone over the corpus, most expensive first. */
public final class PerCheckCost {
  public static void main(String[] args) throws Exception {
    ObjectSet objects = TestUtils.read(Path.of(args.length > 0 ? args[0]
        : "target/bench-corpus")).toObjectSet();
    EffectivePolicy all = TestUtils.bundle("restricted");
    Engine engine = TestUtils.engine();
    EffectivePolicy none = withChecks(all, List.of());
    Map<Double, String> costs = new TreeMap<>((a, b) -> Double.compare(b, a));
    double full = time(engine, objects, all); // warms every check up before measuring one
    double base = time(engine, objects, none);
    for (ActiveCheck check : all.checks()) {
      double ms = time(engine, objects, withChecks(all, List.of(check))) - base;
      costs.put(ms + Math.random() * 1e-9, check.id());
    }
    System.out.printf("no checks: %.1f ms per pass%n", base);
    double total = 0;
    for (var e : costs.entrySet()) {
      total += e.getKey();
      System.out.printf("%8.1f ms  %s%n", e.getKey(), e.getValue());
    }
    System.out.printf("sum: %.1f ms; all checks together: %.1f ms per pass (%.0f subjects/s)%n",
        total, full, objects.size() / (full / 1000));
  }

  private static EffectivePolicy withChecks(EffectivePolicy p, List<ActiveCheck> checks) {
    return new EffectivePolicy(p.name(), p.bundle(), p.enforce(), p.denySeverity(),
        new ArrayList<>(checks), p.exemptions(), p.remediation(), p.warnings());
  }

  private static double time(Engine engine, ObjectSet objects, EffectivePolicy policy) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 7; i++) {
      long start = System.nanoTime();
      engine.audit(objects, ns -> policy);
      best = Math.min(best, (System.nanoTime() - start) / 1e6);
    }
    return best;
  }
}
