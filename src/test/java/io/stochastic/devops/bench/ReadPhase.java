package io.stochastic.devops.bench;

import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The reading phase of {@code kube-devops audit DIR} alone: one read of the corpus in a fresh
 * JVM, as the CLI reads it (files in parallel), with its wall time, the process's CPU time and
 * the GC pause time. Run it with the launcher's JVM flags (docs/benchmarks.md) to compare
 * changes to the reader in interleaved runs.
 */
public final class ReadPhase {
  public static void main(String[] args) {
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long gc = gcMillis();
    long start = System.nanoTime();
    String corpus = args.length > 0 ? args[0] : "target/bench-corpus";
    ManifestBatch batch = new ManifestReader(ReadLimits.DEFAULT, "default")
        .read(List.of(corpus), InputStream.nullInputStream());
    System.out.printf("read %d ms wall, %d ms cpu, gc %d ms, objects %d invalid %d%n",
        (System.nanoTime() - start) / 1_000_000, (os.getProcessCpuTime() - cpu) / 1_000_000,
        gcMillis() - gc, batch.objects().size(), batch.invalid().size());
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }
}
