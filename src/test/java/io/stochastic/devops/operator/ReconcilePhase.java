package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.bench.ClusterBench;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.kube.ClusterResource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of a reconcile's steps over one namespace of {@code pods} pods (docs/benchmarks.md,
 * operator): reading the informer cache into the engine's trees with every object converted (as
 * before the memo) and from a warm memo, then judging them. The process's CPU time, not wall
 * time, so that the other processes of a shared machine disturb it less (GC and the JIT count
 * too). Not a test: a main class.
 *
 * <pre>java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp ... \
 *   io.stochastic.devops.operator.ReconcilePhase 1000 40</pre>
 */
public final class ReconcilePhase {
  private ReconcilePhase() {}

  public static void main(String[] args) {
    int count = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<GenericKubernetesResource> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(Serialization.jsonMapper().convertValue(pod(i), GenericKubernetesResource.class));
    }
    ResourceCache<GenericKubernetesResource> cache = new ListCache(pods);
    Map<ClusterResource, ResourceCache<GenericKubernetesResource>> caches =
        Map.of(ClusterResource.POD, cache);
    Engine engine = TestUtils.engine();
    NamespacePolicies baseline = NamespacePolicies.single(TestUtils.bundle("baseline"));
    ObjectTreeMemo memo = new ObjectTreeMemo();
    // the process's CPU time: the engine judges 1,000 objects on two threads of its own
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    List<Double> convert = new ArrayList<>();
    List<Double> memoised = new ArrayList<>();
    List<Double> judge = new ArrayList<>();
    int failures = 0;
    for (int round = 0; round < rounds * 2; round++) {
      long t0 = os.getProcessCpuTime();
      new InformerObjectSource(caches, "bench").read();
      long t1 = os.getProcessCpuTime();
      ObjectSet objects = new InformerObjectSource(caches, "bench", memo).read();
      long t2 = os.getProcessCpuTime();
      failures = engine.audit(objects, baseline).score().failed();
      long t3 = os.getProcessCpuTime();
      if (round >= rounds) { // the first half warms up
        convert.add((t1 - t0) / 1e6);
        memoised.add((t2 - t1) / 1e6);
        judge.add((t3 - t2) / 1e6);
      }
    }
    System.out.printf("%d pods, %d rounds after %d of warm-up, mean process CPU ms per round:"
        + "%n  read, every object converted: %s%n  read, from the memo: %s%n"
        + "  judge (engine.audit, baseline, %d failed results): %s%n", count, rounds, rounds,
        summary(convert), summary(memoised), failures, summary(judge));
  }

  /** The mean: the process's CPU clock ticks in 10 ms steps here, too coarse for a median. */
  private static String summary(List<Double> values) {
    return String.format("%.1f", values.stream().mapToDouble(Double::doubleValue).average()
        .orElse(0));
  }

  /** A pod of {@code ClusterBench}'s fill, with what the API server adds to it. */
  private static Pod pod(int index) {
    Map<String, Object> spec = Map.of("f:spec", Map.of("f:containers", Map.of(
        "k:{\"name\":\"app\"}", Map.of(".", Map.of(), "f:image", Map.of(), "f:name", Map.of(),
            "f:ports", Map.of(".", Map.of(), "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}",
                Map.of(".", Map.of(), "f:containerPort", Map.of(), "f:protocol", Map.of())),
            "f:resources", Map.of(".", Map.of(), "f:requests", Map.of(".", Map.of(), "f:cpu",
                Map.of()))),
        "k:{\"name\":\"sidecar\"}", Map.of(".", Map.of(), "f:image", Map.of(), "f:name",
            Map.of()))), "f:metadata", Map.of("f:labels", Map.of(".", Map.of(), "f:app",
                Map.of())));
    Map<String, Object> status = Map.of("f:status", Map.of("f:containerStatuses", Map.of(),
        "f:phase", Map.of(), "f:startTime", Map.of()));
    Pod pod = ClusterBench.benchPod("bench", index);
    pod.getMetadata().setUid("uid-" + index);
    pod.getMetadata().setResourceVersion(String.valueOf(1000 + index));
    pod.getMetadata().setCreationTimestamp("2026-11-22T10:00:00Z");
    pod.getMetadata().setManagedFields(List.of(
        new ManagedFieldsEntryBuilder().withManager("bench").withOperation("Update")
            .withApiVersion("v1").withFieldsType("FieldsV1").withNewFieldsV1()
            .withAdditionalProperties(spec).endFieldsV1().build(),
        new ManagedFieldsEntryBuilder().withManager("bench").withOperation("Update")
            .withApiVersion("v1").withFieldsType("FieldsV1").withSubresource("status")
            .withNewFieldsV1().withAdditionalProperties(status).endFieldsV1().build()));
    return pod;
  }
}
