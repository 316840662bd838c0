package io.stochastic.devops.bench;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine throughput on one thread: the whole benchmark corpus (10,000 workloads, see
 * {@link BenchmarkCorpus}) judged under a bundle per invocation, so JMH's ops/s are workloads
 * per second. Run by scripts/bench.sh (pinned to one core); the corpus directory comes from the
 * system property {@code kube-devops.bench.corpus}. The heap is sized as for a batch job: pinned
 * to one CPU the JVM would pick SerialGC with a small young generation and spend a fifth of the
 * run collecting the engine's short-lived CEL intermediates. The {@code evaluator} parameter
 * compares the direct evaluator with cel-java's interpreter alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn1200m", "-XX:+UseParallelGC"})
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 5)
public class EngineBenchmark {
  /** The corpus holds exactly this many workloads (plus the objects they relate to). */
  static final int WORKLOADS = 10_000;

  @Param({"restricted", "baseline"})
  public String bundle;

  /** "direct": the engine as shipped; "interpreted": cel-java alone, for comparison. */
  @Param({"direct", "interpreted"})
  public String evaluator;

  private ObjectSet objects;
  private EffectivePolicy policy;
  private Engine engine;

  @Setup
  public void setUp() {
    Path corpus = Path.of(System.getProperty("kube-devops.bench.corpus", "target/bench-corpus"));
    var batch = TestUtils.read(corpus);
    if (!batch.invalid().isEmpty() || batch.objects().size() < WORKLOADS) {
      throw new IllegalStateException("no benchmark corpus in " + corpus
          + ": run scripts/bench.sh, which generates it");
    }
    objects = batch.toObjectSet();
    policy = TestUtils.bundle(bundle);
    engine = new Engine(EngineSettings.DEFAULT.withParallelism(1)
        .withDirectEvaluation("direct".equals(evaluator)), TestUtils.CLOCK);
  }

  @Benchmark
  @OperationsPerInvocation(WORKLOADS)
  public AuditResult auditCorpus() {
    return engine.audit(objects, ns -> policy);
  }
}
