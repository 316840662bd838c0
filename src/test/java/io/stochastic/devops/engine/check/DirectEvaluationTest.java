package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.bench.BenchmarkCorpus;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.workload.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct evaluator against cel-java's interpreter, check by check and target by target: where
 * the direct evaluation gives an outcome it must be the interpreter's, value and rendered value
 * included; where it bails out, the interpreter decides. Inputs: every fixture of the check
 * catalog and of the Polaris conformance tree, the examples, and a generated corpus.
 */
class DirectEvaluationTest {
  private static final List<Path> FIXTURES = List.of(Path.of("src/test/resources/checks"),
      Path.of("src/test/resources/conformance/polaris/checks"), Path.of("examples"));

  @Test
  void everyBuiltInCheckIsEvaluatedDirectly() {
    List<String> interpretedOnly = TestUtils.catalog().definitions().stream()
        .map(d -> TestUtils.catalog().compiled(d.id()))
        .filter(c -> !c.isDirect()).map(CompiledCheck::id).toList();
    assertThat(interpretedOnly).isEmpty();
  }

  @Test
  void fixturesGiveTheInterpretersOutcomes() {
    Tally tally = compare(TestUtils.read(FIXTURES.toArray(Path[]::new)).toObjectSet());
    assertThat(tally.mismatches).isEmpty();
    assertThat(tally.targets).isGreaterThan(8_000);
    // Fixtures are made to hit edge cases: a few leave the plain case (8,847 of 8,848 today).
    assertThat(tally.direct).isGreaterThan(tally.targets * 99 / 100);
  }

  @Test
  void aGeneratedCorpusGivesTheInterpretersOutcomes(@TempDir Path dir) throws IOException {
    new BenchmarkCorpus().write(dir, 1_000);
    Tally tally = compare(TestUtils.read(dir).toObjectSet());
    assertThat(tally.mismatches).isEmpty();
    assertThat(tally.targets).isGreaterThan(40_000);
    // Realistic workloads: the interpreter runs only for what it alone can answer.
    assertThat(tally.bailedByCheck).as("checks that fell back to cel-java, with counts")
        .isEmpty();
  }

  /** Every check of the full catalog on every object, both ways. */
  private static Tally compare(ObjectSet objects) {
    EffectivePolicy restricted = TestUtils.bundle("restricted");
    CheckEvaluation evaluation = new CheckEvaluation(objects, TestUtils.NOW, true);
    Tally tally = new Tally();
    for (KubeObject object : objects.objects()) {
      Workload workload = Workload.of(object).orElse(null);
      CheckEvaluation.Subject subject = evaluation.subject(object, workload);
      for (ActiveCheck active : restricted.checks()) {
        CompiledCheck check = active.check();
        boolean applies = workload != null
            ? check.definition().appliesToWorkloadKind(object.kind())
            : check.definition().appliesToObjectKind(object.kind());
        if (!applies) {
          continue;
        }
        subject.forEachTarget(check, active.params(), (bindings, container, pointer) -> {
          tally.targets++;
          CompiledCheck.Outcome direct = check.evaluateDirectly(bindings, subject.related());
          CompiledCheck.Outcome interpreted =
              check.evaluateInterpreted(bindings, subject.related().resolver());
          if (direct == null) {
            if (interpreted.verdict() != CompiledCheck.Verdict.ERROR) {
              tally.bailedByCheck.merge(check.id(), 1, Integer::sum);
            }
            return;
          }
          tally.direct++;
          if (!direct.equals(interpreted)
              || !String.valueOf(direct.value()).equals(String.valueOf(interpreted.value()))) {
            tally.mismatches.add(check.id() + " on " + object.kind() + " " + object.name()
                + (container == null ? "" : " container " + container) + ": direct " + direct
                + ", cel-java " + interpreted);
          }
        });
      }
    }
    return tally;
  }

  private static final class Tally {
    int targets;
    int direct;
    final List<String> mismatches = new ArrayList<>();
    final Map<String, Integer> bailedByCheck = new TreeMap<>();
  }
}
