package io.stochastic.devops.bench;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.metrics.WatchMetrics;
import io.stochastic.devops.testing.TestingApiServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The watch engine benchmark of docs/benchmarks.md (issue #12): starts a test API server, fills
 * it as {@link ClusterBench} does ({@code namespaces} × {@code pods} pods with a status, a
 * DevOpsPolicy each), then runs the real {@code bin/kube-devops watch -A --no-leader-election
 * --metrics-port 0} as a process (with the caller's {@code JAVA_OPTS}) and measures:
 *
 * <ul>
 *   <li>start: from the process's start to a score on {@code /metrics} for every namespace;
 *   <li>memory once every namespace is scored ({@link OperatorBench#memory});
 *   <li>idle CPU over {@code idleSeconds} with nothing changing (every 30 s resync re-evaluates
 *       every namespace) and the full rounds' duration from the round histogram;
 *   <li>churn: {@code writes} pod status writes (a container restart each) spread over the pods
 *       of 10 namespaces from 8 threads, as busy kubelets would write them: the process's CPU
 *       meanwhile, the evaluations they cost against the writes, and the time from the last
 *       write to {@code kube_devops_watch_container_restarts_total} counting every restart.
 * </ul>
 *
 * <pre>java -cp ... io.stochastic.devops.bench.WatchBench 100 100 60 1000 target/bench-watch
 * </pre>
 */
public final class WatchBench {
  private static final int CHURN_NAMESPACES = 10;

  private WatchBench() {}

  public static void main(String[] args) throws Exception {
    int namespaces = Integer.parseInt(args[0]);
    int pods = Integer.parseInt(args[1]);
    int idleSeconds = Integer.parseInt(args[2]);
    int writes = Integer.parseInt(args[3]);
    Path dir = Path.of(args[4]);
    Files.createDirectories(dir);
    List<String> table = new ArrayList<>();
    try (TestingApiServer server = TestingApiServer.start("watchbench")) {
      KubernetesClient client = server.client();
      long started = System.nanoTime();
      ClusterBench.fill(client, namespaces, pods);
      System.err.printf("bench: %d pods in %d namespaces created in %.1f s%n",
          namespaces * pods, namespaces, SyncBench.seconds(System.nanoTime() - started));
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"),
          server.kubeconfigYaml());
      Path log = dir.resolve("watch.log");
      ProcessBuilder builder = new ProcessBuilder("bin/kube-devops", "watch", "-A",
          "--no-leader-election", "--metrics-port", "0").redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      table.add("watch: bin/kube-devops watch -A --no-leader-election --metrics-port 0,"
          + " JAVA_OPTS=" + System.getenv().getOrDefault("JAVA_OPTS", "(unset)"));
      long start = System.nanoTime();
      Process watch = builder.start();
      try {
        URI metrics = URI.create("http://127.0.0.1:" + OperatorBench.awaitPort(log, watch)
            + "/metrics");
        SyncBench.awaitTrue(() -> scored(metrics) >= namespaces, 300, "every namespace's score");
        table.add(String.format("start to every namespace scored (%d namespaces, %d pods):"
            + " %.1f s", namespaces, namespaces * pods,
            SyncBench.seconds(System.nanoTime() - start)));
        Thread.sleep(3000);
        OperatorBench.memory(watch, "memory once every namespace is scored", table);
        idle(watch, metrics, idleSeconds, table);
        churn(client, watch, metrics, writes, table);
      } finally {
        watch.destroy();
        if (!watch.waitFor(30, TimeUnit.SECONDS)) {
          watch.destroyForcibly();
        }
      }
    }
    System.out.println(String.join("\n", table));
  }

  private static long scored(URI metrics) {
    return SyncBench.scrape(metrics).lines()
        .filter(l -> l.startsWith(WatchMetrics.NAMESPACE_HEALTH_SCORE + "{")).count();
  }

  private static double value(URI metrics, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(SyncBench.scrape(metrics));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void idle(Process watch, URI metrics, int seconds, List<String> table)
      throws Exception {
    double countBefore = value(metrics, WatchMetrics.ROUND_DURATION_SECONDS + "_count");
    double sumBefore = value(metrics, WatchMetrics.ROUND_DURATION_SECONDS + "_sum");
    double evaluationsBefore = value(metrics, WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL);
    long cpuBefore = SyncBench.cpuTicks(watch.pid());
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = SyncBench.seconds(System.nanoTime() - start);
    double cpu = (SyncBench.cpuTicks(watch.pid()) - cpuBefore) / 100.0;
    double rounds = value(metrics, WatchMetrics.ROUND_DURATION_SECONDS + "_count") - countBefore;
    double took = value(metrics, WatchMetrics.ROUND_DURATION_SECONDS + "_sum") - sumBefore;
    double evaluations = value(metrics, WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL)
        - evaluationsBefore;
    table.add(String.format("idle, %.0f s, nothing changing: %.2f s CPU (%.1f%% of a core);"
        + " %.0f rounds (the resyncs) evaluated %.0f namespaces, %.2f s per full round",
        elapsed, cpu, 100 * cpu / elapsed, rounds, evaluations,
        rounds == 0 ? 0 : took / rounds));
  }

  private static void churn(KubernetesClient client, Process watch, URI metrics, int writes,
      List<String> table) throws Exception {
    double restartsBefore = value(metrics, WatchMetrics.CONTAINER_RESTARTS_TOTAL);
    double evaluationsBefore = value(metrics, WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL);
    double updatesBefore = value(metrics, WatchMetrics.POD_EVENTS_TOTAL + "{event=\"updated\"}");
    long cpuBefore = SyncBench.cpuTicks(watch.pid());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writes; w++) {
        String ns = String.format("bench-%03d", w % CHURN_NAMESPACES);
        String pod = "app-" + (w / CHURN_NAMESPACES) % 100;
        done.add(pool.submit(() -> client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
          ContainerStatus app = p.getStatus().getContainerStatuses().get(0);
          app.setRestartCount(app.getRestartCount() + 1);
          return p;
        })));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long written = System.nanoTime();
    SyncBench.awaitTrue(() -> value(metrics, WatchMetrics.CONTAINER_RESTARTS_TOTAL)
        >= restartsBefore + writes, 120, "every restart counted");
    long counted = System.nanoTime();
    double span = SyncBench.seconds(written - start);
    Thread.sleep(2000); // the round of the last changes is over
    double cpu = (SyncBench.cpuTicks(watch.pid()) - cpuBefore) / 100.0;
    double evaluations = value(metrics, WatchMetrics.NAMESPACE_EVALUATIONS_TOTAL)
        - evaluationsBefore;
    double updates = value(metrics, WatchMetrics.POD_EVENTS_TOTAL + "{event=\"updated\"}")
        - updatesBefore;
    table.add(String.format("churn: %d pod status writes (a restart each) over %d namespaces in"
        + " %.1f s (%.0f/s): %.0f update events, %.0f namespace evaluations (a resync may fall in"
        + " the window), %.2f s CPU over the %.1f s to the last round (%.0f%% of a core); last"
        + " write to every restart counted on /metrics %.2f s", writes, CHURN_NAMESPACES, span,
        writes / span, updates, evaluations, cpu, span + 2 + SyncBench.seconds(counted - written),
        100 * cpu / (span + 2 + SyncBench.seconds(counted - written)),
        SyncBench.seconds(counted - written)));
  }
}
