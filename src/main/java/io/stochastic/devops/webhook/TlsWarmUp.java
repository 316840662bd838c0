package io.stochastic.devops.webhook;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS handshakes and review-sized records between two in-memory engines, the server's from the
 * webhook's own SSLContext: part of the {@link WebhookWarmUp}. A cold JVM spends hundreds of
 * milliseconds on its first handshakes (the elliptic-curve and key-derivation code runs
 * interpreted). No socket is opened: the bytes go from one engine to the other in this thread.
 */
final class TlsWarmUp {
  private static final int REQUEST_BYTES = 6 * 1024;
  private static final int ANSWER_BYTES = 3 * 1024;

  private TlsWarmUp() {}

  /** Up to {@code handshakes} handshakes, each followed by a request and an answer record. */
  static int run(SSLContext server, int handshakes, Duration budget) {
    String[] protocols = WebhookServer.PROTOCOLS.clone();
    long deadline = System.nanoTime() + budget.toNanos();
    SSLContext client;
    try {
      client = SSLContext.getInstance("TLS");
      // the client is this process talking to itself in memory: nothing to authenticate
      client.init(null, new TrustManager[] {new InMemoryPeer()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS client for the warm-up", e);
    }
    int done = 0;
    try {
      while (done < handshakes && System.nanoTime() < deadline) {
        SSLEngine serving = server.createSSLEngine();
        serving.setUseClientMode(false);
        serving.setEnabledProtocols(protocols);
        SSLEngine asking = client.createSSLEngine("warm-up", 0);
        asking.setUseClientMode(true);
        exchange(asking, serving);
        done++;
      }
    } catch (SSLException e) {
      throw new IllegalStateException("the TLS warm-up failed: " + e.getMessage(), e);
    }
    return done;
  }

  /** A handshake, then one request record one way and one answer record back. */
  private static void exchange(SSLEngine asking, SSLEngine serving) throws SSLException {
    int packet = Math.max(asking.getSession().getPacketBufferSize(),
        serving.getSession().getPacketBufferSize());
    int application = Math.max(asking.getSession().getApplicationBufferSize(),
        serving.getSession().getApplicationBufferSize()) + REQUEST_BYTES;
    ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
    ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
    ByteBuffer request = ByteBuffer.wrap(filled(REQUEST_BYTES));
    ByteBuffer answer = ByteBuffer.wrap(filled(ANSWER_BYTES));
    ByteBuffer receivedByServer = ByteBuffer.allocate(application);
    ByteBuffer receivedByClient = ByteBuffer.allocate(application);
    asking.beginHandshake();
    serving.beginHandshake();
    for (int step = 0; step < 200; step++) {
      asking.wrap(request, toServer);
      runTasks(asking);
      serving.wrap(receivedByServer.position() == REQUEST_BYTES ? answer : ByteBuffer.allocate(0),
          toClient);
      runTasks(serving);
      toServer.flip();
      serving.unwrap(toServer, receivedByServer);
      toServer.compact();
      runTasks(serving);
      toClient.flip();
      asking.unwrap(toClient, receivedByClient);
      toClient.compact();
      runTasks(asking);
      if (receivedByClient.position() == ANSWER_BYTES) {
        return;
      }
    }
    throw new SSLException("no answer after 200 steps");
  }

  private static void runTasks(SSLEngine engine) {
    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
      for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
        task.run();
      }
    }
  }

  private static byte[] filled(int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) '{');
    return bytes;
  }

  /** Accepts the in-memory server's certificate: no network, no one else to talk to. */
  private static final class InMemoryPeer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("the warm-up client is never a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // the peer is this process's own engine, in memory
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
