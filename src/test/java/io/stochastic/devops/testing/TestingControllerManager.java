package io.stochastic.devops.testing;

import io.fabric8.kubeapitest.cert.CertManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A kube-controller-manager process against one {@link TestingApiServer}: the workload
 * controllers, the garbage collector and the namespace controller, so that Deployments get
 * ReplicaSets and Pods (which stay Pending: there is no scheduler), owner references are
 * garbage-collected and deleted namespaces disappear.
 *
 * <p>It runs without leader election, serves {@code /healthz} on a free 127.0.0.1 port with the
 * API server's certificate, and writes its output to {@code target/kube-controller-manager-<cluster>.log}.
 * {@link #start} returns once every controller has registered its health check, which it does
 * right before the controllers start.
 */
final class TestingControllerManager implements AutoCloseable {
  /** System property: the directory of the controller managers' log files; default {@code target}. */
  static final String LOG_DIRECTORY_PROPERTY = "kube-devops.test.log-dir";
  static final String BINARY_NAME = "kube-controller-manager";

  /**
   * What runs. Not the ServiceAccount controllers: the API server runs without the ServiceAccount
   * admission plugin, so Pods need no {@code default} ServiceAccount to be created.
   */
  static final List<String> CONTROLLERS =
      List.of(
          "garbage-collector-controller",
          "namespace-controller",
          "deployment-controller",
          "replicaset-controller",
          "statefulset-controller",
          "daemonset-controller",
          "job-controller",
          "cronjob-controller");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);
  private static final int START_ATTEMPTS = 3;
  private static final Set<Path> LOGS_IN_USE = ConcurrentHashMap.newKeySet();

  private final Process process;
  private final Path log;
  private final Path workDirectory;

  private TestingControllerManager(Process process, Path log, Path workDirectory) {
    this.process = process;
    this.log = log;
    this.workDirectory = workDirectory;
  }

  /**
   * Starts a controller manager for the API server of {@code kubeconfigYaml} and waits until its
   * controllers are registered. {@code certDirectory} is kube-api-test's directory holding
   * {@code apiserver.crt} and {@code apiserver.key} (the API server signs and verifies
   * service-account tokens with that key).
   */
  static TestingControllerManager start(String cluster, Path binary, String kubeconfigYaml, Path certDirectory) {
    Path certificate = certDirectory.resolve(CertManager.API_SERVER_CERT_NAME);
    Path key = certDirectory.resolve(CertManager.API_SERVER_KEY_NAME);
    Path log = claimLog(cluster);
    Path work = null;
    try {
      work = Files.createTempDirectory("kube-controller-manager-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), kubeconfigYaml);
      // HTTP/1.1: over HTTP/2 the JDK client gets GOAWAY from the controller manager's server.
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(trusting(certificate))
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      for (int attempt = 1; ; attempt++) {
        int port = Executables.freeLoopbackPort();
        List<String> command = new ArrayList<>(List.of(
            binary.toString(),
            "--kubeconfig=" + kubeconfig,
            "--controllers=" + String.join(",", CONTROLLERS),
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=" + port,
            "--tls-cert-file=" + certificate,
            "--tls-private-key-file=" + key,
            "--service-account-private-key-file=" + key));
        Process process =
            new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        TestingControllerManager manager = new TestingControllerManager(process, log, work);
        String failure = manager.awaitControllers(http, port);
        if (failure == null) {
          return manager;
        }
        manager.stopProcess();
        boolean portTaken = tail(log, 20).contains("address already in use");
        if (!portTaken || attempt == START_ATTEMPTS) {
          throw new IllegalStateException(
              "kube-controller-manager for '" + cluster + "' " + failure + "; its log " + log.toAbsolutePath()
                  + " ends:\n" + tail(log, 20));
        }
      }
    } catch (IOException e) {
      release(log, work);
      throw new UncheckedIOException("cannot start kube-controller-manager for '" + cluster + "'", e);
    } catch (RuntimeException e) {
      release(log, work);
      throw e;
    }
  }

  /** The controller manager's output (stdout and stderr). */
  Path log() {
    return log;
  }

  /** Stops the process (SIGTERM, then SIGKILL after a short grace) and waits for it. */
  @Override
  public void close() {
    stopProcess();
    release(log, workDirectory);
  }

  /** {@code null} once {@code /healthz} lists every controller, else why not. */
  private String awaitControllers(HttpClient http, int port) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz?verbose"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no answer";
    while (true) {
      if (!process.isAlive()) {
        return "exited with code " + process.exitValue() + " while starting";
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body().strip().replace('\n', ' ');
        if (response.statusCode() == 200
            && CONTROLLERS.stream().allMatch(c -> response.body().contains("[+]" + c + " ok"))) {
          return null;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for /healthz";
      }
      if (System.nanoTime() > deadline) {
        return "did not register all controllers within " + READY_TIMEOUT.toSeconds() + " s (last /healthz: "
            + last + ")";
      }
      sleep(Duration.ofMillis(100));
    }
  }

  private void stopProcess() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
      }
      for (ProcessHandle handle : tree) {
        handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      tree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * {@code <log dir>/kube-controller-manager-<cluster>.log}, emptied; a second controller manager
   * of the same cluster name alive in this JVM gets {@code -2}, {@code -3}, ...
   */
  private static Path claimLog(String cluster) {
    Path directory = Path.of(System.getProperty(LOG_DIRECTORY_PROPERTY, "target"));
    String base = BINARY_NAME + "-" + TestingApiServer.dnsLabelPrefix(cluster);
    try {
      Files.createDirectories(directory);
      for (int n = 1; ; n++) {
        Path log = directory.resolve(base + (n == 1 ? "" : "-" + n) + ".log").toAbsolutePath();
        if (LOGS_IN_USE.add(log)) {
          Files.deleteIfExists(log);
          return log;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory " + directory.toAbsolutePath(), e);
    }
  }

  private static void release(Path log, Path work) {
    LOGS_IN_USE.remove(log);
    if (work != null) {
      try {
        Files.deleteIfExists(work.resolve("kubeconfig"));
        Files.deleteIfExists(work);
      } catch (IOException e) {
        // A temporary directory left behind is harmless.
      }
    }
  }

  /** TLS trusting only {@code certificate}: kube-api-test's self-signed API server certificate. */
  private static SSLContext trusting(Path certificate) throws IOException {
    try (InputStream in = Files.newInputStream(certificate)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("kube-api-test", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + certificate, e);
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
