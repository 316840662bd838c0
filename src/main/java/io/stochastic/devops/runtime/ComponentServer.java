package io.stochastic.devops.runtime;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one plain-HTTP server of a long-running component (DESIGN.md §4): {@code /metrics} from
 * {@code registry} (client_java's exporter, every format it negotiates), {@code /healthz} (200
 * while the process serves at all: the liveness probe) and {@code /readyz} (200, or 503 with the
 * reasons of {@link Readiness}: the readiness probe; either followed by the replica's role line,
 * {@code leader: ...} or {@code follower: ...}, when it elects a leader). Any other path is 404.
 *
 * <p>The exporter routes every path it has no handler for to its default handler, which is
 * where the two probes are answered; its own {@code /-/healthy} is left off so that there is one
 * liveness path.
 */
public final class ComponentServer implements AutoCloseable {
  public static final String HEALTHZ = "/healthz";
  public static final String READYZ = "/readyz";
  public static final String METRICS = "/metrics";

  private final HTTPServer server;

  private ComponentServer(HTTPServer server) {
    this.server = server;
  }

  /** Starts serving on {@code port} (0: any free port, see {@link #port()}) on every interface. */
  public static ComponentServer start(int port, PrometheusRegistry registry, Readiness readiness) {
    JdkHttpServers.noDelay();
    try {
      return new ComponentServer(HTTPServer.builder()
          .port(port)
          .registry(registry)
          .metricsHandlerPath(METRICS)
          .registerHealthHandler(false)
          .defaultHandler(exchange -> probe(exchange, readiness))
          .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve /healthz, /readyz and /metrics on port "
          + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  private static void probe(HttpExchange exchange, Readiness readiness) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals(HEALTHZ)) {
        respond(exchange, 200, "ok\n");
      } else if (path.equals(READYZ)) {
        String role = readiness.role();
        String roleLine = role == null ? "" : role + "\n";
        if (readiness.isReady()) {
          respond(exchange, 200, "ok\n" + roleLine);
        } else {
          respond(exchange, 503, String.join("\n", readiness.reasons()) + "\n" + roleLine);
        }
      } else {
        respond(exchange, 404, "not found: " + path + " (try " + HEALTHZ + ", " + READYZ + ", "
            + METRICS + ")\n");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
