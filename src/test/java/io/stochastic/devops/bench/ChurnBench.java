package io.stochastic.devops.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.stochastic.devops.kube.ApiResources;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's churn run of docs/benchmarks.md (issue #12: memory flat over a 10-minute churn):
 * starts a test API server (with the controller manager, so Deployments make ReplicaSets and
 * pods), fills {@code static} namespaces of 100 pods that never change, then runs the real
 * {@code bin/kube-devops reconcile -A} (the caller's {@code JAVA_OPTS}) for {@code seconds} while
 * {@code churn} namespaces change continuously: bare pods created and deleted, their
 * {@code restartCount} changed through {@code /status}, Deployments created, scaled and deleted,
 * each namespace's policy edited in turn (the edit-to-status latency), and every minute a
 * short-lived namespace with its own policy and pods created and the one of two minutes before
 * deleted (the policy's finalizer, its metric series, the memo of its objects). Every
 * {@code sample} seconds: the live heap after a full GC ({@code jcmd GC.class_histogram}),
 * VmRSS and VmHWM, the reconciles (the operator's histogram count), the /metrics lines, the
 * pods in the cluster and the latencies of the window. Prints a table and the slope of the live
 * heap (least squares, MB/min) over the samples after the first two minutes.
 *
 * <pre>java -cp ... io.stochastic.devops.bench.ChurnBench 600 30 10 6 target/bench-churn</pre>
 */
public final class ChurnBench {
  private static final Pattern COUNT = Pattern.compile(
      "^kube_devops_operator_reconcile_duration_seconds_count(?:\\{[^}]*})? (\\S+)",
      Pattern.MULTILINE);
  /** Bare pods per churn namespace: creation and deletion keep it between these. */
  private static final int MIN_PODS = 40;
  private static final int MAX_PODS = 80;
  private static final int MAX_DEPLOYMENTS = 4;

  private final KubernetesClient client;
  private final List<String> churn = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(7);
  private final AtomicLong names = new AtomicLong();
  private final AtomicLong actions = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  /** observedGeneration seen by the watch, per namespace and generation. */
  private final Map<String, Long> observed = new ConcurrentHashMap<>();
  private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
  /** What runs beside the churn loop: the short-lived namespaces' fills, the edits' timing. */
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "churn-background");
    thread.setDaemon(true);
    return thread;
  });

  private ChurnBench(KubernetesClient client) {
    this.client = client;
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    int sample = Integer.parseInt(args[1]);
    int statics = Integer.parseInt(args[2]);
    int churning = Integer.parseInt(args[3]);
    Path dir = Path.of(args[4]);
    Files.createDirectories(dir);
    try (TestingApiServer server = TestingApiServer.start("churn")) {
      new ChurnBench(server.client()).run(server, seconds, sample, statics, churning, dir);
    }
  }

  private void run(TestingApiServer server, int seconds, int sample, int statics, int churning,
      Path dir) throws Exception {
    long started = System.nanoTime();
    ClusterBench.fill(client, statics, 100);
    List<String> churnNames = new ArrayList<>();
    for (int n = 0; n < churning; n++) {
      churnNames.add(String.format("churn-%02d", n));
    }
    // Started at the middle of the churn's range (bare pods, Deployments), so that the objects
    // cached do not creep up during the run and pass for a leak.
    ClusterBench.fill(client, churnNames, 0);
    for (String ns : churnNames) {
      for (int p = 0; p < (MIN_PODS + MAX_PODS) / 2; p++) {
        pod(ns, "p-" + names.incrementAndGet());
      }
      for (int d = 0; d < MAX_DEPLOYMENTS / 2; d++) {
        deployment(ns, "d-" + names.incrementAndGet(), 2);
      }
    }
    churn.addAll(churnNames);
    System.err.printf("churn: %d static pods, %d churning namespaces filled in %.1f s%n",
        statics * 100, churning, SyncBench.seconds(System.nanoTime() - started));
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"), server.kubeconfigYaml());
    Path log = dir.resolve("operator.log");
    ProcessBuilder builder = new ProcessBuilder("bin/kube-devops", "reconcile", "-A",
        "--no-leader-election", "--metrics-port", "0").redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    List<String> table = new ArrayList<>();
    table.add("operator: bin/kube-devops reconcile -A --no-leader-election --metrics-port 0,"
        + " JAVA_OPTS=" + System.getenv().getOrDefault("JAVA_OPTS", "(unset)"));
    table.add(String.format("cluster: %d static namespaces x 100 pods, %d churning namespaces"
        + " (%d-%d bare pods, up to %d Deployments each), one short-lived namespace of 20 pods a"
        + " minute",
        statics, churning, MIN_PODS, MAX_PODS, MAX_DEPLOYMENTS));
    Process operator = builder.start();
    Watch watch = client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inAnyNamespace()
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource policy) {
            long generation = observedGeneration(policy);
            observed.putIfAbsent(policy.getMetadata().getNamespace() + "@" + generation,
                System.nanoTime());
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
    try {
      URI metrics = URI.create("http://127.0.0.1:" + OperatorBench.awaitPort(log, operator)
          + "/metrics");
      OperatorBench.awaitObserved(client);
      System.err.printf("churn: every policy observed %.1f s after the operator's start%n",
          SyncBench.seconds(System.nanoTime() - started));
      table.add(String.format("%6s %9s %9s %9s %9s %9s %8s %7s %6s %22s %7s", "t s",
          "live MB", "used MB", "RSS MB", "HWM MB", "reconc.", "/window", "series", "pods",
          "edit->status med/max s", "actions"));
      List<double[]> heap = new ArrayList<>();
      long start = System.nanoTime();
      long nextSample = 0;
      long nextEdit = 5;
      long nextNamespace = 30;
      double lastCount = count(metrics);
      List<String> ephemeral = new ArrayList<>();
      while (true) {
        double t = SyncBench.seconds(System.nanoTime() - start);
        if (t >= nextSample) {
          double count = count(metrics);
          sample(operator, metrics, t, count - lastCount, count, heap, table);
          lastCount = count;
          nextSample += sample;
          if (t >= seconds) {
            break;
          }
        }
        if (t >= nextEdit) {
          edit(churn.get((int) (nextEdit / 5) % churn.size()));
          nextEdit += 5;
        }
        if (t >= nextNamespace) {
          String name = "eph-" + names.incrementAndGet();
          ephemeral.add(name);
          background.execute(() -> act(() -> ClusterBench.fill(client, List.of(name), 20)));
          if (ephemeral.size() > 2) {
            String gone = ephemeral.remove(0);
            act(() -> client.namespaces().withName(gone).delete());
          }
          nextNamespace += 60;
        }
        churnStep();
        Thread.sleep(50 + random.nextInt(100));
      }
      table.add(String.format("churn actions: %d (%d refused: conflicts, objects already gone)",
          actions.get(), failures.get()));
      table.add(verdict(heap));
      List<Double> all = new ArrayList<>(latencies);
      if (!all.isEmpty()) {
        List<Double> sorted = all.stream().sorted().toList();
        table.add(String.format("edit to status over the run, n=%d: median %.3f s, p99 %.3f s,"
            + " max %.3f s", sorted.size(), SyncBench.median(sorted),
            sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(0.99 * sorted.size()) - 1)),
            sorted.get(sorted.size() - 1)));
      }
    } finally {
      watch.close();
      background.shutdownNow();
      operator.destroy();
      if (!operator.waitFor(30, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
    }
    System.out.println(String.join("\n", table));
  }

  /** One change in a churning namespace, at random. */
  private void churnStep() {
    String ns = churn.get(random.nextInt(churn.size()));
    int action = random.nextInt(10);
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("churn", "bare").list().getItems();
    if (action < 4 && !pods.isEmpty()) {
      Pod pod = pods.get(random.nextInt(pods.size()));
      act(() -> {
        pod.getStatus().getContainerStatuses().forEach(s -> s.setRestartCount(random.nextInt(9)));
        client.pods().inNamespace(ns).resource(pod).updateStatus();
      });
    } else if (action < 6 && pods.size() < MAX_PODS || pods.size() < MIN_PODS) {
      act(() -> pod(ns, "p-" + names.incrementAndGet()));
    } else if (action < 8) {
      act(() -> client.pods().inNamespace(ns).resource(pods.get(random.nextInt(pods.size())))
          .withGracePeriod(0).delete());
    } else {
      List<Deployment> deployments = client.apps().deployments().inNamespace(ns).list().getItems();
      if (deployments.size() < MAX_DEPLOYMENTS && (action == 8 || deployments.isEmpty())) {
        act(() -> deployment(ns, "d-" + names.incrementAndGet(), 1 + random.nextInt(4)));
      } else if (action == 8) {
        act(() -> client.apps().deployments().inNamespace(ns)
            .withName(deployments.get(random.nextInt(deployments.size())).getMetadata()
                .getName()).scale(random.nextInt(5)));
      } else {
        act(() -> client.apps().deployments().inNamespace(ns)
            .resource(deployments.get(random.nextInt(deployments.size()))).delete());
      }
    }
  }

  private interface Action {
    void run() throws Exception;
  }

  private void act(Action action) {
    actions.incrementAndGet();
    try {
      action.run();
    } catch (Exception e) {
      failures.incrementAndGet();
    }
  }

  private void pod(String ns, String name) {
    Pod pod = client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata()
        .withName(name).withNamespace(ns).addToLabels("churn", "bare").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(random.nextInt(5) == 0
            ? "nginx:latest" : "nginx:1.27").endContainer().endSpec().build()).create();
    pod.setStatus(new PodStatusBuilder().withPhase("Running")
        .withStartTime("2026-11-22T10:00:00Z").addNewContainerStatus().withName("app")
        .withRestartCount(random.nextInt(9)).withReady(true).withImage("nginx").withImageID("")
        .withNewState().withNewRunning().endRunning().endState().endContainerStatus().build());
    client.pods().inNamespace(ns).resource(pod).updateStatus();
  }

  private void deployment(String ns, String name, int replicas) {
    client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata().withNewSpec()
        .withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  /** Edits the namespace's policy ({@code maxRestartCount}); the watch times its status. */
  private void edit(String ns) {
    var policy = client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inNamespace(ns)
        .withName("policy");
    long edited = System.nanoTime();
    GenericKubernetesResource updated;
    try {
      updated = policy.edit(p -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new HashMap<>((Map<String, Object>)
            p.getAdditionalProperties().get("spec"));
        // always another value: an edit that changes nothing keeps the generation
        Object current = spec.get("maxRestartCount");
        spec.put("maxRestartCount", current instanceof Number n && n.intValue() < 9
            ? n.intValue() + 1 : 2);
        p.getAdditionalProperties().put("spec", spec);
        return p;
      });
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      return;
    }
    String key = ns + "@" + updated.getMetadata().getGeneration();
    // Timed off the main loop, so that the churn goes on meanwhile.
    background.execute(() -> {
      long deadline = edited + TimeUnit.SECONDS.toNanos(60);
      while (!observed.containsKey(key) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
      Long seen = observed.get(key);
      latencies.add(seen == null ? Double.NaN : SyncBench.seconds(seen - edited));
    });
  }

  private int latencyMark;

  private void sample(Process operator, URI metrics, double t, double window, double count,
      List<double[]> heap, List<String> table) throws Exception {
    String histogram = SyncBench.jcmd(operator.pid(), "GC.class_histogram");
    String[] total = histogram.lines().filter(l -> l.startsWith("Total")).findFirst()
        .orElse("Total 0 0").trim().split("\\s+");
    double live = Long.parseLong(total[2]) / 1048576.0;
    Map<String, String> status = SyncBench.procStatus(operator.pid());
    String info = SyncBench.jcmd(operator.pid(), "GC.heap_info");
    double used = 0;
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    while (m.find()) {
      used += Long.parseLong(m.group(1)) / 1024.0;
      break; // the first: the young generation; the second, the old
    }
    if (m.find()) {
      used += Long.parseLong(m.group(1)) / 1024.0;
    }
    long series = SyncBench.scrape(metrics).lines().filter(l -> !l.startsWith("#")).count();
    int pods = client.pods().inAnyNamespace().list().getItems().size();
    List<Double> window2;
    synchronized (latencies) {
      window2 = new ArrayList<>(latencies.subList(latencyMark, latencies.size()));
      latencyMark = latencies.size();
    }
    String latency = window2.isEmpty() ? "-" : String.format("%.3f / %.3f",
        SyncBench.median(window2), Collections.max(window2));
    heap.add(new double[] {t, live});
    String row = String.format("%6.0f %9.1f %9.1f %9.1f %9.1f %9.0f %8.0f %7d %6d %22s %7d", t,
        live, used, kb(status.get("VmRSS")), kb(status.get("VmHWM")), count, window, series,
        pods, latency, actions.get());
    table.add(row);
    System.err.println("churn: " + row + "   load " + Files.readString(Path.of("/proc/loadavg"))
        .strip());
  }

  private static double kb(String value) {
    return value == null ? 0 : Long.parseLong(value.replace("kB", "").strip()) / 1024.0;
  }

  /** Least-squares slope of the live heap over the samples after the first two minutes. */
  private static String verdict(List<double[]> heap) {
    List<double[]> late = heap.stream().filter(p -> p[0] >= 120).toList();
    if (late.size() < 3) {
      return "too few samples for a slope";
    }
    double n = late.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double[] p : late) {
      double minutes = p[0] / 60;
      sx += minutes;
      sy += p[1];
      sxx += minutes * minutes;
      sxy += minutes * p[1];
      min = Math.min(min, p[1]);
      max = Math.max(max, p[1]);
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return String.format("live heap after GC from 2 min on (%d samples): %.1f-%.1f MB, mean %.1f"
        + " MB, least-squares slope %+.2f MB/min (%+.1f MB over the last %.0f min)", late.size(),
        min, max, sy / n, slope, slope * (late.get(late.size() - 1)[0] - late.get(0)[0]) / 60,
        (late.get(late.size() - 1)[0] - late.get(0)[0]) / 60);
  }

  private static double count(URI metrics) {
    Matcher m = COUNT.matcher(SyncBench.scrape(metrics));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static long observedGeneration(GenericKubernetesResource policy) {
    Object status = policy.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> map && map.get("observedGeneration") instanceof Number n) {
      return n.longValue();
    }
    return -1;
  }
}
