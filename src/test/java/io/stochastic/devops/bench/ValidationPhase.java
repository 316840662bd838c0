package io.stochastic.devops.bench;

import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ObjectValidator;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.input.schema.ObjectSchemas;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The schema validation of {@code kube-devops audit DIR} alone, in CPU time of one thread (which
 * a busy machine disturbs less than wall time): loading the bundled schema once, then validating
 * every object of the corpus, ten rounds, the first a cold JVM's.
 */
public final class ValidationPhase {
  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String corpus = args.length > 0 ? args[0] : "target/bench-corpus";
    ManifestBatch batch = new ManifestReader(ReadLimits.DEFAULT, "default")
        .read(List.of(corpus), InputStream.nullInputStream());
    List<KubeObject> objects = batch.objects();
    long start = threads.getCurrentThreadCpuTime();
    ObjectSchemas schemas = ObjectSchemas.kubernetes();
    System.out.printf("schema load: %d ms cpu%n",
        (threads.getCurrentThreadCpuTime() - start) / 1_000_000);
    for (int round = 1; round <= 10; round++) {
      long before = threads.getCurrentThreadCpuTime();
      int invalid = 0;
      for (KubeObject object : objects) {
        ObjectValidator.Verdict verdict = schemas.validate(object);
        invalid += verdict.error() == null ? 0 : 1;
      }
      System.out.printf("round %d: %d objects in %d ms cpu (%d invalid)%n", round,
          objects.size(), (threads.getCurrentThreadCpuTime() - before) / 1_000_000, invalid);
    }
  }
}
