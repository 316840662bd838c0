package io.stochastic.devops.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.gitops.SyncStateStore;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.testing.TestingApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The GitOps sync benchmark of docs/benchmarks.md (issue #11): a test API server with {@code n}
 * namespaces, a Git repository on disk with one DevOpsPolicy file per namespace
 * ({@code policies/namespaces/ns-NNNN/policy.yaml}, one commit), and the real CLI
 * ({@code bin/kube-devops sync}, a process of its own, {@code JAVA_OPTS} passed through) timed:
 *
 * <ol>
 *   <li>first sync: {@code sync --once} from a cold cache into an empty cluster, then restarts
 *       (warm cache, state in the cluster; empty cache, state in the cluster) and a full
 *       re-apply over objects that are already there (the state ConfigMap deleted);
 *   <li>latency: the resident sync at {@code --interval 1s}; a one-file commit, then the time
 *       until a watch on the DevOpsPolicies sees the object with the commit's
 *       {@code source-revision} annotation;
 *   <li>idle polls: CPU time of the process (/proc) over a window with the head unchanged;
 *   <li>memory: VmHWM and VmRSS of the resident process, its heap ({@code jcmd}).
 * </ol>
 *
 * <pre>java -cp ... io.stochastic.devops.bench.SyncBench 1000 10 target/bench-sync</pre>
 *
 * <p>{@code -Dsyncbench.jfr=true} records each sync process with JFR ({@code settings=profile})
 * into the work directory. A benchmark, never a test: nothing here asserts a time.
 */
public final class SyncBench {
  private static final String SYNC_NS = "kube-devops-sync";
  private static final Pattern PORT = Pattern.compile("/metrics on port (\\d+)");
  private static final Pattern DURATION = Pattern.compile(
      "kube_devops_sync_duration_seconds\\{[^}]*} ([0-9.eE+-]+)");
  private static final String[] BUNDLES = {"baseline", "restricted", "permissive"};
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final KubernetesClient client;
  private final Path dir;
  private final Path kubeconfig;
  private final Path repoDir;
  private final int policies;
  private final boolean jfr = Boolean.getBoolean("syncbench.jfr");
  /** Every watch event: namespace@source-revision → first time seen (nanoTime). */
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> addedTimes = new ConcurrentLinkedQueue<>();
  private final List<String> table = new ArrayList<>();
  private Git git;
  private int runs;

  private SyncBench(KubernetesClient client, Path dir, Path kubeconfig, int policies) {
    this.client = client;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.repoDir = dir.resolve("repo");
    this.policies = policies;
  }

  public static void main(String[] args) throws Exception {
    int policies = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]).toAbsolutePath();
    deleteTree(dir);
    Files.createDirectories(dir);
    try (TestingApiServer server = TestingApiServer.start("syncbench")) {
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"),
          server.kubeconfigYaml());
      SyncBench bench = new SyncBench(server.client(), dir, kubeconfig, policies);
      bench.run(rounds);
    }
  }

  private void run(int rounds) throws Exception {
    long started = System.nanoTime();
    createNamespaces();
    System.err.printf("bench: %d namespaces created in %.1f s%n", policies,
        seconds(System.nanoTime() - started));
    String head = createRepository();
    lint();
    try (Watch watch = watchPolicies()) {
      firstSyncs(head);
      resident(rounds);
    }
    System.out.println();
    System.out.println("== sync of " + policies + " policy files ("
        + (System.getenv("JAVA_OPTS") == null ? "JAVA_OPTS unset"
            : "JAVA_OPTS=" + System.getenv("JAVA_OPTS")) + ")");
    table.forEach(System.out::println);
  }

  // ---------------------------------------------------------------- setup

  private void createNamespaces() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(pool.submit(() -> namespace(SYNC_NS)));
      for (int i = 0; i < policies; i++) {
        String ns = namespaceName(i);
        work.add(pool.submit(() -> namespace(ns)));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
  }

  private static String namespaceName(int i) {
    return String.format("ns-%04d", i);
  }

  private String createRepository() throws Exception {
    git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch("main").call();
    for (int i = 0; i < policies; i++) {
      Path file = policyFile(i);
      Files.createDirectories(file.getParent());
      Files.writeString(file, policy(i, 0));
    }
    git.add().addFilepattern("policies").call();
    RevCommit commit = commit("policies for " + policies + " namespaces");
    System.err.printf("bench: repository %s: %d policy files, commit %s%n", repoDir, policies,
        commit.name());
    return commit.name();
  }

  private Path policyFile(int i) {
    return repoDir.resolve("policies/namespaces/" + namespaceName(i) + "/policy.yaml");
  }

  private RevCommit commit(String message) throws Exception {
    return git.commit().setMessage(message).setAuthor("bench", "bench@example.com")
        .setCommitter("bench", "bench@example.com").call();
  }

  /** A team's policy, shaped like the examples of policies/namespaces/, varied by index. */
  static String policy(int i, int edit) {
    String ns = namespaceName(i);
    String bundle = BUNDLES[i % BUNDLES.length];
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Team ").append(i).append(": the ").append(bundle)
        .append(" bundle, with the overrides the team asked for.\n")
        .append("apiVersion: devops.stochastic.io/v1\n")
        .append("kind: DevOpsPolicy\n")
        .append("metadata:\n")
        .append("  name: ").append(ns).append('\n')
        .append("  namespace: ").append(ns).append('\n')
        .append("  labels:\n")
        .append("    team: team-").append(i % 97).append('\n')
        .append("spec:\n")
        .append("  bundle: ").append(bundle).append('\n')
        .append("  enforcementMode: ").append(i % 5 == 0 ? "enforce" : "audit").append('\n')
        // each edit a new value, so that every commit changes the object
        .append("  maxRestartCount: ").append(3 + i % 7 + edit).append('\n')
        .append("  forbidPendingDuration: ").append(120 + 60 * (i % 5)).append('\n');
    if (i % 2 == 0) {
      yaml.append("  severityOverrides:\n")
          .append("    readinessProbeMissing: high\n")
          .append("    cpuLimitsMissing: low\n");
    }
    if (i % 3 == 0) {
      yaml.append("  exemptions:\n")
          .append("    # Throwaway pods for debugging: never judged.\n")
          .append("    - names: [\"debug-*\"]\n")
          .append("    - checks: [livenessProbeMissing, readinessProbeMissing]\n")
          .append("      names: [\"nightly-*\"]\n");
    }
    if (i % 5 == 0) {
      yaml.append("  admission:\n")
          .append("    denySeverity: high\n")
          .append("  remediation:\n")
          .append("    replicas: 2\n")
          .append("    resources:\n")
          .append("      requests:\n")
          .append("        cpu: 100m\n")
          .append("        memory: 128Mi\n");
    }
    return yaml.toString();
  }

  private void lint() throws Exception {
    long start = System.nanoTime();
    Process lint = new ProcessBuilder("bin/kube-devops", "policy", "lint",
        repoDir.resolve("policies").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("lint.log").toFile()).start();
    int exit = lint.waitFor();
    String line = String.format("policy lint of the %d files: exit %d, %.2f s wall", policies,
        exit, seconds(System.nanoTime() - start));
    System.err.println("bench: " + line);
    table.add(line);
    if (exit != 0) {
      throw new IllegalStateException("the generated policies fail lint: see "
          + dir.resolve("lint.log"));
    }
  }

  private Watch watchPolicies() {
    return client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inAnyNamespace()
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource resource) {
            long now = System.nanoTime();
            if (action == Action.ADDED) {
              addedTimes.add(now);
            }
            Map<String, String> annotations = resource.getMetadata().getAnnotations();
            String revision = annotations == null ? null
                : annotations.get(Annotations.SOURCE_REVISION);
            if (revision != null && action != Action.DELETED) {
              seen.putIfAbsent(resource.getMetadata().getNamespace() + "@" + revision, now);
            }
          }

          @Override
          public void onClose(WatcherException cause) {
            System.err.println("bench: the watch closed: " + cause);
          }
        });
  }

  // ---------------------------------------------------------------- first sync

  private void firstSyncs(String head) throws Exception {
    table.add(String.format("%-58s %8s %8s %8s %8s %8s  %s", "sync --once", "wall s", "user s",
        "sys s", "RSS MB", "server s", "split"));
    for (int run = 1; run <= 3; run++) {
      if (run > 1) {
        resetCluster();
      }
      Path cache = dir.resolve("cache-cold-" + run);
      addedTimes.clear();
      Timed timed = once(cache, "cold-" + run);
      List<Long> added = new ArrayList<>(addedTimes);
      Collections.sort(added);
      String split = added.size() < policies ? "only " + added.size() + " objects created"
          : String.format("start to 1st object %.2f s, 1st to last object %.2f s (%d), "
              + "last object to exit %.2f s",
              seconds(added.get(0) - timed.start), seconds(added.get(added.size() - 1)
                  - added.get(0)), added.size(),
              seconds(timed.end - added.get(added.size() - 1)));
      row("cold cache, empty cluster (creates " + policies + ") #" + run, timed, split);
      requireApplied(head);
    }
    Path warm = dir.resolve("cache-cold-3");
    for (int run = 1; run <= 3; run++) {
      row("restart: warm cache, state in the cluster #" + run,
          once(warm, "restart-warm-" + run), "head already applied: nothing to apply");
    }
    for (int run = 1; run <= 3; run++) {
      row("restart: empty cache, state in the cluster #" + run,
          once(dir.resolve("cache-restart-" + run), "restart-empty-" + run),
          "fetch everything; head already applied");
    }
    for (int run = 1; run <= 2; run++) {
      client.configMaps().inNamespace(SYNC_NS).withName(SyncStateStore.NAME).delete();
      awaitGone(() -> client.configMaps().inNamespace(SYNC_NS).withName(SyncStateStore.NAME)
          .get() == null);
      row("full re-apply: warm cache, no state, objects unchanged #" + run,
          once(warm, "reapply-" + run), "every object applied, all unchanged");
    }
  }

  private void requireApplied(String head) {
    long applied = client.genericKubernetesResources(ApiResources.DEVOPS_POLICY).inAnyNamespace()
        .list().getItems().stream()
        .filter(p -> head.equals(p.getMetadata().getAnnotations()
            .get(Annotations.SOURCE_REVISION)))
        .count();
    if (applied != policies) {
      throw new IllegalStateException("after the first sync " + applied + " of " + policies
          + " policies carry the head " + head);
    }
  }

  private void resetCluster() throws Exception {
    client.configMaps().inNamespace(SYNC_NS).withName(SyncStateStore.NAME).delete();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < policies; i++) {
        String ns = namespaceName(i);
        work.add(pool.submit(() -> client.genericKubernetesResources(ApiResources.DEVOPS_POLICY)
            .inNamespace(ns).delete()));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    awaitGone(() -> client.genericKubernetesResources(ApiResources.DEVOPS_POLICY)
        .inAnyNamespace().list().getItems().isEmpty()
        && client.configMaps().inNamespace(SYNC_NS).withName(SyncStateStore.NAME).get() == null);
  }

  private static void awaitGone(BooleanSupplier gone) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!gone.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster was not reset within 120 s");
      }
      Thread.sleep(200);
    }
  }

  /** A timed run; {@code server}: CPU seconds of kube-apiserver and etcd meanwhile. */
  private record Timed(long start, long end, double wall, double user, double sys, long rssKb,
      double server) {}

  /** {@code sync --once}, timed by /usr/bin/time; a non-zero exit stops the benchmark. */
  private Timed once(Path cache, String label) throws Exception {
    Path times = dir.resolve(label + ".time");
    List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o",
        times.toString()));
    command.addAll(syncCommand(cache, "--once"));
    ProcessBuilder builder = syncProcess(command, label);
    long serverBefore = serverTicks();
    long start = System.nanoTime();
    Process process = builder.start();
    int exit = process.waitFor();
    long end = System.nanoTime();
    double server = (serverTicks() - serverBefore) / (double) TICKS_PER_SECOND;
    if (exit != 0) {
      throw new IllegalStateException("sync --once (" + label + ") exited " + exit + ": see "
          + dir.resolve(label + ".log"));
    }
    String[] t = Files.readString(times).strip().split("\\s+");
    Timed timed = new Timed(start, end, Double.parseDouble(t[0]), Double.parseDouble(t[1]),
        Double.parseDouble(t[2]), Long.parseLong(t[3]), server);
    System.err.printf("bench: %s: %.2f s wall%n", label, timed.wall);
    return timed;
  }

  private void row(String what, Timed t, String split) {
    table.add(String.format("%-58s %8.2f %8.2f %8.2f %8d %8.2f  %s", what, t.wall, t.user,
        t.sys, t.rssKb / 1024, t.server, split));
  }

  private List<String> syncCommand(Path cache, String... extra) {
    List<String> command = new ArrayList<>(List.of("bin/kube-devops", "sync", "--repo",
        repoDir.toUri().toString(), "--no-leader-election", "--metrics-port", "0",
        "--cache-dir", cache.toString(), "-n", SYNC_NS));
    command.addAll(List.of(extra));
    return command;
  }

  private ProcessBuilder syncProcess(List<String> command, String label) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(label + ".log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    if (jfr) {
      String opts = System.getenv().getOrDefault("JAVA_OPTS", "");
      builder.environment().put("JAVA_OPTS", (opts + " -XX:StartFlightRecording=filename="
          + dir.resolve(label + ".jfr") + ",settings=profile").strip());
    }
    return builder;
  }

  // ---------------------------------------------------------------- resident sync

  private void resident(int rounds) throws Exception {
    Path log = dir.resolve("resident.log");
    Process sync = syncProcess(syncCommand(dir.resolve("cache-cold-3"), "--interval", "1s"),
        "resident").start();
    try {
      URI metrics = URI.create("http://127.0.0.1:" + awaitPort(log, sync) + "/metrics");
      // the first round (head already applied) is done when the round's duration is recorded
      awaitTrue(() -> roundDuration(metrics) >= 0, 60, "the resident sync's first round");
      List<Double> latencies = new ArrayList<>();
      List<Double> applyRounds = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(11);
      for (int round = 1; round <= rounds; round++) {
        // a commit lands at any moment of the poll cycle
        Thread.sleep(500 + random.nextInt(1000));
        int index = random.nextInt(policies);
        Files.writeString(policyFile(index), policy(index, round));
        git.add().addFilepattern("policies").call();
        RevCommit commit = commit("round " + round + ": " + namespaceName(index));
        long committed = System.nanoTime();
        String key = namespaceName(index) + "@" + commit.name();
        awaitTrue(() -> seen.containsKey(key), 60, "round " + round + "'s commit applied");
        double latency = seconds(seen.get(key) - committed);
        latencies.add(latency);
        // the round that applied it records the revision and its duration when it ends (the
        // next round starts an interval later)
        String revision = "revision=\"" + commit.name() + "\"";
        awaitTrue(() -> scrape(metrics).contains(revision), 60, "round " + round + "'s end");
        applyRounds.add(roundDuration(metrics));
        System.err.printf("bench: round %d: %s changed, applied %.3f s after the commit"
            + " (that round took %.3f s)%n", round, namespaceName(index), latency,
            applyRounds.get(applyRounds.size() - 1));
      }
      table.add("");
      table.add(String.format("commit of one file to the object applied (watch), --interval 1s,"
          + " %d commits:", rounds));
      table.add(String.format("  latency: median %.3f s, max %.3f s, min %.3f s (target: <= 2 s"
          + " + the 1 s interval = 3 s)", median(latencies), Collections.max(latencies),
          Collections.min(latencies)));
      table.add("  latencies: " + latencies.stream().map(l -> String.format("%.3f", l))
          .collect(Collectors.joining(" ")));
      table.add(String.format("  duration of the applying round (metric): median %.3f s,"
          + " max %.3f s", median(applyRounds), Collections.max(applyRounds)));
      idle(sync, metrics);
      memory(sync);
    } finally {
      sync.destroy(); // SIGTERM: the round in flight ends, then exit 0
      if (!sync.waitFor(30, TimeUnit.SECONDS)) {
        sync.destroyForcibly();
      }
    }
  }

  private int awaitPort(Path log, Process sync) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!sync.isAlive()) {
        throw new IllegalStateException("the resident sync exited: see " + log);
      }
      Matcher port = PORT.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (port.find()) {
        return Integer.parseInt(port.group(1));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the resident sync did not serve /metrics: see " + log);
  }

  /** The last round's duration ({@code kube_devops_sync_duration_seconds}), -1 before one. */
  private static double roundDuration(URI metrics) {
    Matcher m = DURATION.matcher(scrape(metrics));
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  static String scrape(URI metrics) {
    try {
      return HTTP.send(HttpRequest.newBuilder(metrics).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * CPU of idle polls: the process's CPU time over a window with the head unchanged, divided by
   * the polls in it (window / (interval + the idle round's duration)).
   */
  private void idle(Process sync, URI metrics) throws Exception {
    Thread.sleep(3000); // the last applying round and its state write are over
    int window = Integer.getInteger("syncbench.idle-seconds", 30);
    long cpuBefore = cpuTicks(sync.pid());
    long start = System.nanoTime();
    List<Double> durations = new ArrayList<>();
    for (int s = 0; s < window; s++) {
      Thread.sleep(1000);
      durations.add(roundDuration(metrics));
    }
    double elapsed = seconds(System.nanoTime() - start);
    double cpu = (cpuTicks(sync.pid()) - cpuBefore) / (double) TICKS_PER_SECOND;
    double round = median(durations);
    double polls = elapsed / (1.0 + round);
    table.add("");
    table.add(String.format("idle polls (head unchanged), %.0f s window: %.2f s CPU, idle round"
        + " %.3f s (median of the metric, range %.3f-%.3f s), ~%.0f polls: %.0f ms CPU per poll,"
        + " %.0f%% of a core", elapsed, cpu, round, Collections.min(durations),
        Collections.max(durations), polls, 1000 * cpu / polls, 100 * cpu / elapsed));
  }

  private void memory(Process sync) throws Exception {
    Map<String, String> status = procStatus(sync.pid());
    String heap = jcmd(sync.pid(), "GC.heap_info");
    String histogram = jcmd(sync.pid(), "GC.class_histogram");
    String live = histogram.lines().filter(l -> l.startsWith("Total")).findFirst().orElse("?");
    String[] total = live.trim().split("\\s+");
    table.add("");
    table.add("memory of the resident sync after the rounds: VmHWM " + status.get("VmHWM")
        + ", VmRSS " + status.get("VmRSS"));
    table.add("  heap (jcmd GC.heap_info):");
    heap.lines().filter(l -> l.contains("total") || l.contains("Metaspace"))
        .forEach(l -> table.add("    " + l.strip()));
    table.add(total.length >= 3
        ? String.format("  live heap after a full GC (jcmd GC.class_histogram): %.1f MB in %s"
            + " objects", Long.parseLong(total[2]) / 1048576.0, total[1])
        : "  live heap: " + live);
  }

  static String jcmd(long pid, String what) throws Exception {
    Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), what)
        .redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return out;
  }

  static Map<String, String> procStatus(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("Vm"))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')),
            l -> l.substring(l.indexOf(':') + 1).strip()));
  }

  /** CPU ticks of the test API server's kube-apiserver and etcd (this JVM's children). */
  private static long serverTicks() throws IOException {
    long ticks = 0;
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      String command = child.info().command().orElse("");
      if (command.endsWith("/kube-apiserver") || command.endsWith("/etcd")) {
        try {
          ticks += cpuTicks(child.pid());
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return ticks;
  }

  /** utime + stime of the process, in clock ticks (/proc/PID/stat fields 14 and 15). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  static void awaitTrue(BooleanSupplier condition, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + seconds + " s in vain for " + what);
      }
      Thread.sleep(10);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
