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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real kube-apiserver + etcd (fabric8 kube-api-test) with the project's CRDs from {@code
 * crds/} installed and Established. Tests normally get it through {@link IntegrationTest}, which
 * starts one per cluster name per test run; {@link #start(String)} serves code that manages the
 * lifetime itself.
 *
 * <p>There is no controller manager and no scheduler: namespaces never finish deleting, owner
 * references are not garbage-collected, Deployments create no Pods. Create the objects a test
 * needs directly (a Pod and its {@code /status}), and expect deleted namespaces to stay
 * Terminating.
 */
public final class TestingApiServer implements AutoCloseable {
  /** System property: the Kubernetes version to run; the build sets it from {@code kube.version}. */
  public static final String VERSION_PROPERTY = "kube-devops.test.kube-version";
  /** System property: the directory of CRD YAML files to install; default {@code crds}. */
  public static final String CRDS_PROPERTY = "kube-devops.test.crds";
  /** Field manager the harness applies the CRDs with. */
  public static final String FIELD_MANAGER = "kube-devops-test-harness";

  private static final Logger LOG = LoggerFactory.getLogger(TestingApiServer.class);
  private static final Duration CRD_ESTABLISHED_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final KubeAPIServer server;
  private final Thread shutdownHook;
  private final String kubeconfigYaml;
  private final Config config;
  private final KubernetesClient client;
  private final List<CustomResourceDefinition> crds;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestingApiServer(
      String name,
      KubeAPIServer server,
      Thread shutdownHook,
      String kubeconfigYaml,
      Config config,
      KubernetesClient client,
      List<CustomResourceDefinition> crds,
      Duration startupTime) {
    this.name = name;
    this.server = server;
    this.shutdownHook = shutdownHook;
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
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(binaries.version())
                // Set here, not through KUBE_API_TEST_OFFLINE_MODE: kube-api-test 7.5.x throws a
                // ClassCastException reading that variable.
                .withOfflineMode(binaries.present())
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .build());
    Thread hook = new Thread(server::stop, "stop kube-apiserver " + name);
    Runtime.getRuntime().addShutdownHook(hook);
    KubernetesClient client = null;
    try {
      server.start();
      long serverReady = System.nanoTime();
      String kubeconfigYaml = server.getKubeConfigYaml();
      Config config = Config.fromKubeconfig(kubeconfigYaml);
      client = newClient(config, UnaryOperator.identity());
      List<CustomResourceDefinition> crds = installCrds(client, crdDirectory);
      TestingApiServer testing =
          new TestingApiServer(
              name, server, hook, kubeconfigYaml, config, client, crds, Duration.ofNanos(System.nanoTime() - started));
      LOG.info(
          "kube-apiserver '{}' {} ready at {} in {} ms ({} ms to serve, then {} CRDs Established)",
          name,
          binaries.describe(),
          config.getMasterUrl(),
          testing.startupTime.toMillis(),
          (serverReady - started) / 1_000_000,
          crds.size());
      return testing;
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      stop(server, hook, e);
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
      stop(server, shutdownHook, null);
      LOG.info("kube-apiserver '{}' stopped", name);
    }
  }

  /** Stops the server; an error is thrown, or added to {@code cause} when there is one. */
  private static void stop(KubeAPIServer server, Thread hook, RuntimeException cause) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting: the hook stops the server.
      return;
    }
    try {
      server.stop();
    } catch (RuntimeException e) {
      if (cause == null) {
        throw e;
      }
      cause.addSuppressed(e);
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
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Where kube-api-test looks for the binaries of the requested version, and whether they are there. */
  record BinaryLocation(String version, Path directory, boolean present) {
    static BinaryLocation find() {
      String base = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
      Path k8s =
          Path.of(base != null && !base.isBlank() ? base : System.getProperty("user.home") + "/.kubeapitest")
              .resolve("k8s");
      String version = System.getProperty(VERSION_PROPERTY);
      String suffix = Utils.platformSuffix(new OSInfo());
      if (version == null || version.isBlank()) {
        // Outside the build (an IDE): whichever version is present, as kube-api-test would pick.
        return new BinaryLocation(null, k8s, hasAnyVersion(k8s, suffix));
      }
      Path dir = k8s.resolve(version + suffix);
      return new BinaryLocation(version, dir, Files.isExecutable(dir.resolve("kube-apiserver")));
    }

    private static boolean hasAnyVersion(Path k8s, String suffix) {
      if (!Files.isDirectory(k8s)) {
        return false;
      }
      try (Stream<Path> dirs = Files.list(k8s)) {
        return dirs.anyMatch(
            d -> d.getFileName().toString().endsWith(suffix) && Files.isExecutable(d.resolve("kube-apiserver")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + k8s, e);
      }
    }

    String describe() {
      return (version == null ? "the newest local version" : "v" + version)
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
