package io.stochastic.devops.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real kube-apiserver + etcd (fabric8 kube-api-test) with the project's CRDs from {@code
 * crds/} installed and Established, and a kube-controller-manager against it. Tests normally get
 * it through {@link IntegrationTest}, which starts one per cluster name per test run; {@link
 * #start(String)} serves code that manages the lifetime itself.
 *
 * <p>The controller manager runs the garbage collector, the namespace controller and the workload
 * controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob; see {@link
 * TestingControllerManager#CONTROLLERS}): Deployments get ReplicaSets and Pods, owner references
 * are garbage-collected, deleted namespaces disappear. There is no scheduler and no kubelet, so
 * Pods stay Pending with no node; a test that needs a running Pod writes its {@code /status}
 * itself. Its output is in {@link #controllerManagerLog()}.
 */
public final class TestingApiServer implements AutoCloseable {
  /** System property: the Kubernetes version to run; the build sets it from {@code kube.version}. */
  public static final String VERSION_PROPERTY = "kube-devops.test.kube-version";
  /** System property: the directory of CRD YAML files to install; default {@code crds}. */
  public static final String CRDS_PROPERTY = "kube-devops.test.crds";
  /** System property: comma-separated loggers the tests log at DEBUG. */
  public static final String DEBUG_LOGGERS_PROPERTY = "kube-devops.test.debug-loggers";
  /** Field manager the harness applies the CRDs with. */
  public static final String FIELD_MANAGER = "kube-devops-test-harness";

  static {
    // logback.xml logs warnings only; the harness's start and stop lines belong in each test
    // class's output
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
        TestingApiServer.class.getPackageName())).setLevel(ch.qos.logback.classic.Level.INFO);
    // -Dkube-devops.test.debug-loggers=io.fabric8.kubeapitest.process,...: those at DEBUG
    for (String name : System.getProperty(DEBUG_LOGGERS_PROPERTY, "").split(",")) {
      if (!name.isBlank()) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name.strip()))
            .setLevel(ch.qos.logback.classic.Level.DEBUG);
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(TestingApiServer.class);
  private static final Duration CRD_ESTABLISHED_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Processes processes;
  private final String kubeconfigYaml;
  private final Config config;
  private final KubernetesClient client;
  private final List<CustomResourceDefinition> crds;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestingApiServer(
      String name,
      Processes processes,
      String kubeconfigYaml,
      Config config,
      KubernetesClient client,
      List<CustomResourceDefinition> crds,
      Duration startupTime) {
    this.name = name;
    this.processes = processes;
    this.kubeconfigYaml = kubeconfigYaml;
    this.config = config;
    this.client = client;
    this.crds = crds;
    this.startupTime = startupTime;
  }

  /**
   * Starts an API server and installs the CRDs. {@code name} only labels it in logs and errors;
   * two calls start two independent servers (separate etcd, separate port).
   */
  public static TestingApiServer start(String name) {
    long started = System.nanoTime();
    Path crdDirectory = crdDirectory();
    BinaryLocation binaries = BinaryLocation.find();
    Path controllerManagerBinary = binaries.controllerManager();
    KubeAPIServerConfig serverConfig =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withApiServerVersion(binaries.version())
            // Set here, not through KUBE_API_TEST_OFFLINE_MODE: kube-api-test 7.5.x throws a
            // ClassCastException reading that variable.
            .withOfflineMode(binaries.present())
            .withApiServerFlag("--bind-address", "127.0.0.1")
            .build();
    Processes processes = new Processes(name, new KubeAPIServer(serverConfig));
    KubernetesClient client = null;
    try {
      processes.server.start();
      long serverReady = System.nanoTime();
      String kubeconfigYaml = processes.server.getKubeConfigYaml();
      Config config = Config.fromKubeconfig(kubeconfigYaml);
      client = newClient(config, UnaryOperator.identity());
      List<CustomResourceDefinition> crds = installCrds(client, crdDirectory);
      long crdsEstablished = System.nanoTime();
      // After the CRDs: the garbage collector and the namespace controller then know their
      // resources from the start (the collector rediscovers only every 30 s).
      processes.controllerManager =
          TestingControllerManager.start(
              name, controllerManagerBinary, kubeconfigYaml, Path.of(serverConfig.getKubeAPITestDir()));
      TestingApiServer testing =
          new TestingApiServer(
              name, processes, kubeconfigYaml, config, client, crds, Duration.ofNanos(System.nanoTime() - started));
      LOG.info(
          "kube-apiserver '{}' {} ready at {} in {} ms ({} ms to serve, {} ms to {} CRDs Established, {} ms to"
              + " kube-controller-manager ready)",
          name,
          binaries.describe(),
          config.getMasterUrl(),
          testing.startupTime.toMillis(),
          (serverReady - started) / 1_000_000,
          (crdsEstablished - serverReady) / 1_000_000,
          crds.size(),
          (System.nanoTime() - crdsEstablished) / 1_000_000);
      return testing;
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      processes.close(e);
      throw new IllegalStateException(
          "kube-apiserver '" + name + "' did not start with " + binaries.describe() + ": "
              + e.getMessage() + binaries.hint(),
          e);
    }
  }

  public String name() {
    return name;
  }

  /** Wall time from {@link #start(String)} to CRDs Established. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The kubectl of the API server's version (kube-api-test keeps it beside the server). */
  public static Path kubectl() {
    return BinaryLocation.find().directory().resolve("kubectl");
  }

  /** A kubeconfig (client certificate of {@code system:masters}) for this server. */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** The client configuration of the kubeconfig; a copy each call, so callers may change it. */
  public Config config() {
    return new ConfigBuilder(config).build();
  }

  /** The server's admin client, shared: do not close it. Its default namespace is {@code default}. */
  public KubernetesClient client() {
    return client;
  }

  /** The kube-controller-manager's output. */
  public Path controllerManagerLog() {
    return processes.controllerManager.log();
  }

  /** The CRDs installed from the CRD directory, as applied. */
  public List<CustomResourceDefinition> crds() {
    return crds;
  }

  /**
   * A new client over the JDK HTTP client, its configuration adjusted by {@code adjust} (a
   * namespace, impersonation, timeouts). The caller closes it.
   */
  public KubernetesClient newClient(UnaryOperator<ConfigBuilder> adjust) {
    return newClient(config, adjust);
  }

  private static KubernetesClient newClient(Config config, UnaryOperator<ConfigBuilder> adjust) {
    return new KubernetesClientBuilder()
        .withConfig(adjust.apply(new ConfigBuilder(config)).build())
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  /**
   * Creates a namespace named {@code prefix} plus a random suffix (the prefix is made a valid
   * DNS label and shortened as needed); closing the result deletes it.
   */
  public TestingNamespace createNamespace(String prefix) {
    String generateName = dnsLabelPrefix(prefix) + "-";
    String created =
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withGenerateName(generateName)
                    .addToLabels("app.kubernetes.io/managed-by", FIELD_MANAGER)
                    .endMetadata()
                    .build())
            .create()
            .getMetadata()
            .getName();
    return new TestingNamespace(this, created);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
      processes.close(null);
      LOG.info("kube-apiserver '{}' stopped", name);
    }
  }

  /**
   * The processes of one cluster: the API server (with etcd) and, once started, the controller
   * manager. A JVM shutdown hook stops them if the test run ends without closing.
   */
  private static final class Processes {
    private final KubeAPIServer server;
    private final Thread shutdownHook;
    private volatile TestingControllerManager controllerManager;

    Processes(String name, KubeAPIServer server) {
      this.server = server;
      this.shutdownHook = new Thread(this::stop, "stop kube-apiserver " + name);
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Stops both; an error is thrown, or added to {@code cause} when there is one. */
    void close(RuntimeException cause) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting: the hook stops the processes.
        return;
      }
      try {
        stop();
      } catch (RuntimeException e) {
        if (cause == null) {
          throw e;
        }
        cause.addSuppressed(e);
      }
    }

    /** The controller manager first, so that it does not log the API server going away. */
    private void stop() {
      TestingControllerManager manager = controllerManager;
      if (manager != null) {
        manager.close();
      }
      server.stop();
    }
  }

  static String dnsLabelPrefix(String text) {
    String label =
        text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (label.length() > 50) {
      label = label.substring(0, 50).replaceAll("-+$", "");
    }
    return label.isEmpty() ? "test" : label;
  }

  static Path crdDirectory() {
    Path dir = Path.of(System.getProperty(CRDS_PROPERTY, "crds"));
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "CRD directory " + dir.toAbsolutePath() + " not found: run from the repository root or set -D"
              + CRDS_PROPERTY);
    }
    return dir;
  }

  private static List<CustomResourceDefinition> installCrds(KubernetesClient client, Path dir) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    List<CustomResourceDefinition> applied = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : client.load(in).items()) {
          if (!(item instanceof CustomResourceDefinition crd)) {
            throw new IllegalStateException(file + " holds a " + item.getKind() + ", not a CRD");
          }
          applied.add(client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    for (CustomResourceDefinition crd : applied) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              TestingApiServer::established, CRD_ESTABLISHED_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    return List.copyOf(applied);
  }

  /** Whether the CRD's {@code Established} condition is {@code True}. */
  public static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        // A CRD's first status may carry no conditions yet.
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Where kube-api-test looks for the binaries of the requested version (outside the build, the
   * newest version present), and whether they are there.
   */
  record BinaryLocation(String version, Path directory, boolean present, boolean newestLocal) {
    static BinaryLocation find() {
      String base = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
      Path k8s =
          Path.of(base != null && !base.isBlank() ? base : System.getProperty("user.home") + "/.kubeapitest")
              .resolve("k8s");
      String version = System.getProperty(VERSION_PROPERTY);
      String suffix = Utils.platformSuffix(new OSInfo());
      if (version == null || version.isBlank()) {
        // Outside the build (an IDE): the newest version present, named to kube-api-test so that
        // the API server and the controller manager come from the same directory.
        return newestVersion(k8s, suffix)
            .map(v -> new BinaryLocation(v, k8s.resolve(v + suffix), true, true))
            .orElseGet(() -> new BinaryLocation(null, k8s, false, true));
      }
      Path dir = k8s.resolve(version + suffix);
      return new BinaryLocation(version, dir, Files.isExecutable(dir.resolve("kube-apiserver")), false);
    }

    private static Optional<String> newestVersion(Path k8s, String suffix) {
      if (!Files.isDirectory(k8s)) {
        return Optional.empty();
      }
      try (Stream<Path> dirs = Files.list(k8s)) {
        List<String> versions =
            dirs.filter(d -> d.getFileName().toString().endsWith(suffix))
                .filter(d -> Files.isExecutable(d.resolve("kube-apiserver")))
                .map(d -> d.getFileName().toString())
                .map(n -> n.substring(0, n.length() - suffix.length()))
                .toList();
        return versions.isEmpty() ? Optional.empty() : Optional.of(Utils.getLatestVersion(versions));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + k8s, e);
      }
    }

    /**
     * The kube-controller-manager beside the API server. kube-api-test downloads none, so it must
     * be there before the API server starts: scripts/kube-test-binaries.sh builds it.
     */
    Path controllerManager() {
      Path dir = version != null ? directory : directory.resolve("<version>" + Utils.platformSuffix(new OSInfo()));
      return controllerManagerIn(dir, describe());
    }

    static Path controllerManagerIn(Path directory, String what) {
      Path binary = directory.resolve(TestingControllerManager.BINARY_NAME);
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            "kube-controller-manager for " + what + " not found at " + binary + ": build it with"
                + " scripts/kube-test-binaries.sh (./mvnw verify runs it when Go is on PATH; kube-api-test's"
                + " downloaded binaries include no controller manager)");
      }
      return binary;
    }

    String describe() {
      return (newestLocal ? "the newest local version" + (version == null ? "" : " (v" + version + ")") : "v" + version)
          + (present ? " from " + directory : " (not in " + directory + ", downloading)");
    }

    String hint() {
      return present
          ? ""
          : "; build the binaries with scripts/kube-test-binaries.sh (./mvnw verify runs it when Go is"
              + " on PATH)";
    }
  }
}
