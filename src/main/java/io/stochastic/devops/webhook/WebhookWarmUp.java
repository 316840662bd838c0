package io.stochastic.devops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.metrics.WebhookMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Runs the webhook's hot paths before it takes traffic, so that the JIT has compiled them. A cold
 * JVM answers its first reviews in hundreds of milliseconds; a client under load then opens more
 * connections, each costs a TLS handshake on cold elliptic-curve code, and the webhook may never
 * catch up (scripts/bench.sh webhook, without this: every request of the first minute at 1,000/s
 * timed out, though the same server answered 4,000/s once warm). Three parts, each bounded:
 *
 * <ol>
 *   <li>a built-in review (a Deployment with a privileged sidecar on {@code :latest}) judged
 *       in-process under the given policy in enforce mode, validate and mutate, answers
 *       serialized: the deny path, which renders the most;
 *   <li>TLS handshakes between in-memory engines ({@link TlsWarmUp});
 *   <li>the same review over real HTTPS on loopback, to a throwaway server with the webhook's own
 *       certificate and its own registry (the real metrics and logs never see the warm-up), in
 *       audit mode, over HTTP/2 and HTTP/1.1, several at once: the event loops, TLS records, HTTP
 *       framing.
 * </ol>
 */
public final class WebhookWarmUp {
  private static final String REVIEW = "warm-up-review.json";
  private static final int CONNECTIONS = 8;

  private WebhookWarmUp() {}

  /** What a warm-up did. */
  public record Result(int judged, int handshakes, int overHttps, Duration took) {}

  /**
   * Up to {@code reviews} judged in-process, a tenth as many handshakes and a quarter as many
   * reviews over HTTPS, within {@code budget} in all.
   */
  public static Result run(Engine engine, EffectivePolicy policy, SSLContext tls,
      X509Certificate served, int reviews, Duration budget) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    ObjectMapper mapper = Serialization.jsonMapper();
    JsonNode review = review(mapper);
    AdmissionInput input = AdmissionInput.parse(review, mapper);
    int judged = judge(reviewer(engine, policy, true), input, mapper, reviews, deadline);
    int handshakes = TlsWarmUp.run(tls, reviews / 10, remaining(deadline));
    int overHttps = overHttps(reviewer(engine, policy, false), tls, served, review, mapper,
        reviews / 4, deadline);
    return new Result(judged, handshakes, overHttps, Duration.ofNanos(System.nanoTime() - start));
  }

  private static AdmissionReviewer reviewer(Engine engine, EffectivePolicy policy,
      boolean enforce) {
    EffectivePolicy mode = new EffectivePolicy(policy.name(), policy.bundle(), enforce,
        policy.denySeverity(), policy.checks(), policy.exemptions(), policy.remediation(),
        policy.warnings(), policy.workloadKinds());
    AdmissionPolicies policies = new AdmissionPolicies(NamespacePolicies.single(mode), true);
    return new AdmissionReviewer(engine, () -> policies, RelatedObjects.NONE, new Remediator());
  }

  private static int judge(AdmissionReviewer reviewer, AdmissionInput input, ObjectMapper mapper,
      int reviews, long deadline) {
    int done = 0;
    try {
      while (done < reviews && System.nanoTime() < deadline) {
        mapper.writeValueAsBytes(AdmissionResponses.review(input.uid(), reviewer.validate(input)));
        mapper.writeValueAsBytes(AdmissionResponses.review(input.uid(), reviewer.mutate(input)));
        done++;
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a warm-up answer cannot be written", e);
    }
    return done;
  }

  private static int overHttps(AdmissionReviewer reviewer, SSLContext tls,
      X509Certificate served, JsonNode review, ObjectMapper mapper, int reviews, long deadline) {
    if (reviews <= 0 || System.nanoTime() >= deadline) {
      return 0;
    }
    WebhookSettings settings = WebhookSettings.defaults().withBindAddress("127.0.0.1")
        .withPort(0);
    int done = 0;
    try (WebhookServer server = WebhookServer.start(settings, reviewer, tls,
        new WebhookMetrics(new PrometheusRegistry()))) {
      // both protocols: the API server speaks HTTP/2 to a webhook that offers it, others 1.1
      List<HttpClient> clients = new ArrayList<>();
      for (HttpClient.Version version : HttpClient.Version.values()) {
        clients.add(HttpClient.newBuilder().version(version).sslContext(pinned(served))
            .connectTimeout(Duration.ofSeconds(5)).build());
      }
      byte[] body = mapper.writeValueAsBytes(review);
      List<HttpRequest> requests = new ArrayList<>();
      for (String path : List.of(WebhookServer.VALIDATE, WebhookServer.MUTATE)) {
        requests.add(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
      }
      while (done < reviews && System.nanoTime() < deadline) {
        List<CompletableFuture<HttpResponse<byte[]>>> round = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
          round.add(clients.get(i / 2 % clients.size()).sendAsync(requests.get(i % 2),
              HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> answer : round) {
          if (answer.join().statusCode() != 200) {
            throw new IllegalStateException("a warm-up review was answered "
                + answer.join().statusCode());
          }
        }
        done += CONNECTIONS;
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the warm-up review cannot be written", e);
    }
    return done;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** Trusts exactly the certificate the webhook serves: the warm-up talks to itself. */
  private static SSLContext pinned(X509Certificate served) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Pinned(served)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS client for the warm-up", e);
    }
  }

  private static JsonNode review(ObjectMapper mapper) {
    try (InputStream in = WebhookWarmUp.class.getResourceAsStream(REVIEW)) {
      if (in == null) {
        throw new IllegalStateException(REVIEW + " is missing from the jar");
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Accepts one certificate, whatever the host name (the server's names are the Service's, the
   * warm-up connects to 127.0.0.1): an extended trust manager, so that no host name check is
   * added around it.
   */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final X509Certificate served;

    Pinned(X509Certificate served) {
      this.served = served;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0 || !chain[0].equals(served)) {
        throw new CertificateException("not the webhook's own certificate");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the warm-up client is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the warm-up client is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the warm-up client is never a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
