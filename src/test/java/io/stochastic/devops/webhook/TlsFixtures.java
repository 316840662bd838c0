package io.stochastic.devops.webhook;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Certificates for loopback HTTPS, and clients that trust them. */
final class TlsFixtures {
  private TlsFixtures() {}

  /** A new CA and a serving certificate for 127.0.0.1 and localhost, written into {@code dir}. */
  static CertificateAuthority writeLoopbackCertificates(Path dir) {
    CertificateAuthority ca = CertificateAuthority.create("kube-devops-test-ca", Instant.now());
    ca.write(dir, ca.issue(List.of("localhost"), List.of("127.0.0.1"), Instant.now()));
    return ca;
  }

  /** An HTTP client trusting only {@code cas}. */
  static HttpClient client(X509Certificate... cas) throws Exception {
    return HttpClient.newBuilder().sslContext(trusting(cas)).build();
  }

  static SSLContext trusting(X509Certificate... cas) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < cas.length; i++) {
      trust.setCertificateEntry("ca" + i, cas[i]);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
