package io.stochastic.devops.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.testing.TestingApiServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator benchmark of docs/benchmarks.md (issue #12): starts a test API server, fills it as
 * {@link ClusterBench} does ({@code namespaces} × {@code pods} pods, a DevOpsPolicy each) plus one
 * namespace {@code bench-big} of {@code bigPods} pods and its policy, then runs the real
 * {@code bin/kube-devops reconcile -A --no-leader-election --metrics-port 0} as a process (with
 * the caller's {@code JAVA_OPTS}) and measures:
 *
 * <ul>
 *   <li>start: from the process's start to every policy's {@code status.observedGeneration}
 *       equal to its generation;
 *   <li>memory after the caches are synced and the first reconciles are done: VmHWM/VmRSS,
 *       {@code jcmd GC.heap_info}, the live heap after a full GC ({@code GC.class_histogram});
 *   <li>{@code edits} spec edits ({@code maxRestartCount}) of {@code bench-big}'s policy: the
 *       latency from the edit to a fabric8 watch seeing {@code status.observedGeneration} equal to
 *       the new generation, and each edit's reconcile duration from the operator's histogram
 *       {@code kube_devops_operator_reconcile_duration_seconds} (the increase of its sum when its
 *       count grew by one: nothing else is reconciled meanwhile).
 * </ul>
 *
 * <pre>java -cp ... io.stochastic.devops.bench.OperatorBench 100 100 1000 20 target/bench-operator
 * </pre>
 */
public final class OperatorBench {
  private static final String BIG = "bench-big";
  private static final Pattern PORT = Pattern.compile("/metrics on port (\\d+)");

  private OperatorBench() {}

  public static void main(String[] args) throws Exception {
    int namespaces = Integer.parseInt(args[0]);
    int pods = Integer.parseInt(args[1]);
    int bigPods = Integer.parseInt(args[2]);
    int edits = Integer.parseInt(args[3]);
    Path dir = Path.of(args[4]);
    Files.createDirectories(dir);
    List<String> table = new ArrayList<>();
    try (TestingApiServer server = TestingApiServer.start("opbench")) {
      KubernetesClient client = server.client();
      long started = System.nanoTime();
      ClusterBench.fill(client, namespaces, pods);
      ClusterBench.fill(client, List.of(BIG), bigPods);
      int policies = namespaces + 1;
      System.err.printf("bench: %d pods in %d namespaces created in %.1f s%n",
          namespaces * pods + bigPods, policies, SyncBench.seconds(System.nanoTime() - started));
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"),
          server.kubeconfigYaml());
      Path log = dir.resolve("operator.log");
      ProcessBuilder builder = new ProcessBuilder("bin/kube-devops", "reconcile", "-A",
          "--no-leader-election", "--metrics-port", "0").redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      table.add("operator: bin/kube-devops reconcile -A --no-leader-election --metrics-port 0,"
          + " JAVA_OPTS=" + System.getenv().getOrDefault("JAVA_OPTS", "(unset)"));
      long start = System.nanoTime();
      Process operator = builder.start();
      try {
        URI metrics = URI.create("http://127.0.0.1:" + awaitPort(log, operator) + "/metrics");
        awaitObserved(client);
        table.add(String.format("start to every policy's status observed (%d policies, %d pods):"
            + " %.1f s", policies, namespaces * pods + bigPods,
            SyncBench.seconds(System.nanoTime() - start)));
        SyncBench.awaitTrue(() -> histogram(metrics).count >= policies, 60,
            "the first reconciles' metric");
        Thread.sleep(3000); // the first reconciles and their Events are over
        Histogram first = histogram(metrics);
        table.add(String.format("first reconciles: %.0f, mean %.1f ms (JIT cold, %d×%d pods and"
            + " one of %d, both cores shared with the API server)", first.count,
            1000 * first.sum / first.count, namespaces, pods, bigPods));
        memory(operator, "memory after the caches synced and the first reconciles", table);
        latency(client, metrics, edits, table);
      } finally {
        operator.destroy();
        if (!operator.waitFor(30, TimeUnit.SECONDS)) {
          operator.destroyForcibly();
        }
      }
    }
    System.out.println(String.join("\n", table));
  }

  private static boolean allObserved(KubernetesClient client) {
    return client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inAnyNamespace().list()
        .getItems().stream().allMatch(p -> observed(p) == generation(p));
  }

  private static long generation(GenericKubernetesResource policy) {
    Long g = policy.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  @SuppressWarnings("unchecked")
  private static long observed(GenericKubernetesResource policy) {
    Object status = policy.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> map && map.get("observedGeneration") instanceof Number n) {
      return n.longValue();
    }
    return -1;
  }

  private static void latency(KubernetesClient client, URI metrics, int edits,
      List<String> table) throws Exception {
    var policy = client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(BIG)
        .withName("policy");
    Map<Long, Long> seen = new ConcurrentHashMap<>();
    Watcher<GenericKubernetesResource> watcher = new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        seen.putIfAbsent(observed(resource), System.nanoTime());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
    List<Double> latencies = new ArrayList<>();
    List<Double> reconciles = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(12);
    try (Watch watch = policy.watch(watcher)) {
      Thread.sleep(500);
      for (int edit = 1; edit <= edits; edit++) {
        Thread.sleep(300 + random.nextInt(700));
        Histogram before = histogram(metrics);
        int restarts = 3 + edit;
        long edited = System.nanoTime();
        GenericKubernetesResource updated = policy.edit(p -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> spec = new HashMap<>((Map<String, Object>)
              p.getAdditionalProperties().get("spec"));
          spec.put("maxRestartCount", restarts);
          p.getAdditionalProperties().put("spec", spec);
          return p;
        });
        long generation = generation(updated);
        SyncBench.awaitTrue(() -> seen.containsKey(generation), 60,
            "edit " + edit + "'s status");
        double latency = SyncBench.seconds(seen.get(generation) - edited);
        latencies.add(latency);
        SyncBench.awaitTrue(() -> histogram(metrics).count > before.count, 10,
            "edit " + edit + "'s metric");
        Thread.sleep(100);
        Histogram after = histogram(metrics);
        double took = (after.sum - before.sum) / (after.count - before.count);
        reconciles.add(took);
        System.err.printf("bench: edit %d (generation %d, maxRestartCount %d): status observed"
            + " %.3f s after the edit; %.0f reconcile(s), %.1f ms each%n", edit, generation,
            restarts, latency, after.count - before.count, 1000 * took);
      }
    }
    table.add(String.format("reconcile of %s (the edits' reconciles, from the histogram), n=%d:"
        + " median %.1f ms, max %.1f ms, min %.1f ms (target: <= 200 ms)", BIG, edits,
        1000 * SyncBench.median(reconciles), 1000 * Collections.max(reconciles),
        1000 * Collections.min(reconciles)));
    table.add("  durations ms: " + reconciles.stream().map(r -> String.format("%.1f", 1000 * r))
        .collect(Collectors.joining(" ")));
    table.add(String.format("spec edit to status.observedGeneration (fabric8 watch), n=%d: median"
        + " %.3f s, p99 (= max at n=%d) %.3f s, min %.3f s", edits,
        SyncBench.median(latencies), edits,
        Collections.max(latencies), Collections.min(latencies)));
    table.add("  latencies s: " + latencies.stream().map(l -> String.format("%.3f", l))
        .collect(Collectors.joining(" ")));
  }

  /** VmHWM, VmRSS, the heap and the live heap after a full GC of {@code process}, {@code when}. */
  static void memory(Process process, String when, List<String> table) throws Exception {
    Map<String, String> status = SyncBench.procStatus(process.pid());
    String heap = SyncBench.jcmd(process.pid(), "GC.heap_info");
    String histogram = SyncBench.jcmd(process.pid(), "GC.class_histogram");
    String live = histogram.lines().filter(l -> l.startsWith("Total")).findFirst().orElse("?");
    String[] total = live.trim().split("\\s+");
    table.add(when + ": VmHWM " + status.get("VmHWM") + ", VmRSS " + status.get("VmRSS"));
    table.add("  heap (jcmd GC.heap_info):");
    heap.lines().filter(l -> l.contains("total") || l.contains("Metaspace"))
        .forEach(l -> table.add("    " + l.strip()));
    table.add(total.length >= 3
        ? String.format("  live heap after a full GC (jcmd GC.class_histogram): %.1f MB in %s"
            + " objects (target: heap <= 512 MB)", Long.parseLong(total[2]) / 1048576.0,
            total[1])
        : "  live heap: " + live);
    histogram.lines().skip(3).limit(8).forEach(l -> table.add("    " + l.strip()));
  }

  private record Histogram(double count, double sum) {}

  private static final Pattern COUNT = Pattern.compile("^"
      + OperatorMetrics.RECONCILE_DURATION_SECONDS + "_count(?:\\{[^}]*})? (\\S+)",
      Pattern.MULTILINE);
  private static final Pattern SUM = Pattern.compile("^"
      + OperatorMetrics.RECONCILE_DURATION_SECONDS + "_sum(?:\\{[^}]*})? (\\S+)",
      Pattern.MULTILINE);

  private static Histogram histogram(URI metrics) {
    String text = SyncBench.scrape(metrics);
    Matcher count = COUNT.matcher(text);
    Matcher sum = SUM.matcher(text);
    return count.find() && sum.find()
        ? new Histogram(Double.parseDouble(count.group(1)), Double.parseDouble(sum.group(1)))
        : new Histogram(0, 0);
  }

  /** The port {@code process} (a component) serves /metrics on, once it has logged it. */
  static int awaitPort(Path log, Process operator) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the process exited: see " + log);
      }
      Matcher port = PORT.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (port.find()) {
        return Integer.parseInt(port.group(1));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the process did not serve /metrics: see " + log);
  }

  /** Every policy's status observed its generation (one list every 200 ms, up to 300 s). */
  static void awaitObserved(KubernetesClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!allObserved(client)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited 300 s in vain for every policy's first status");
      }
      Thread.sleep(200);
    }
  }
}
