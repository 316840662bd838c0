package io.stochastic.devops.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}, or {@code pushgateway})
 * on a free 127.0.0.1 port, in memory (no persistence file). Point client_java's {@code
 * PushGateway.builder().address(gateway.address())} at it and read what it holds with {@link
 * #metrics()}.
 */
public final class TestingPushgateway implements AutoCloseable {
  /** System property naming the binary when it is not on PATH. */
  public static final String BINARY_PROPERTY = "kube-devops.test.pushgateway";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestingPushgateway(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts one and waits until it is ready; skips the calling test when the binary is missing. */
  public static TestingPushgateway start() {
    Path binary =
        Executables.require(
            BINARY_PROPERTY,
            "install the Debian package prometheus-pushgateway (.ci/run does)",
            List.of("prometheus-pushgateway", "pushgateway"));
    // The port is free when chosen but may be taken before the gateway binds it: try again then.
    String output = "";
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      TestingPushgateway gateway = launch(binary, Executables.freeLoopbackPort());
      if (gateway.awaitReadyOrExit()) {
        return gateway;
      }
      output = gateway.log();
      gateway.close();
    }
    throw new IllegalStateException(
        binary + " exited at start " + START_ATTEMPTS + " times; it last printed:\n" + output);
  }

  private static TestingPushgateway launch(Path binary, int port) {
    try {
      Path log = Files.createTempFile("pushgateway-" + port + "-", ".log");
      Process process =
          // Debian's build persists to /var/lib/prometheus by default: every gateway of the
          // machine would start with the last one's groups. An empty file name keeps it in memory.
          new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                  "--persistence.file=")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new TestingPushgateway(process, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
  }

  /** True once ready, false if the process exited first; throws after {@link #READY_TIMEOUT}. */
  private boolean awaitReadyOrExit() {
    try {
      await("pushgateway on port " + port)
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !process.isAlive() || status("/-/ready") == 200);
    } catch (ConditionTimeoutException e) {
      String output = log();
      close();
      throw new IllegalStateException("pushgateway not ready in " + READY_TIMEOUT + "; it printed:\n" + output, e);
    }
    return process.isAlive();
  }

  /** {@code 127.0.0.1:port}, the form client_java's {@code PushGateway.Builder.address} takes. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public URI uri() {
    return URI.create("http://" + address());
  }

  /** The gateway's {@code /metrics} page (text exposition format): what it holds plus its own metrics. */
  public String metrics() {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException) {
        return -1;
      }
      throw e;
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " on the pushgateway failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** What the gateway printed so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + log, e);
    }
  }
}
