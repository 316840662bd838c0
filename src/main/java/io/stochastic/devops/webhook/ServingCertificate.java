package io.stochastic.devops.webhook;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's serving certificate, read from PEM files ({@code tls.crt}, {@code tls.key} of a
 * Secret) and read again when either file changes: cert-manager or a Secret update rotates it
 * under a running server, and the next TLS handshake uses the new one, without a restart.
 *
 * <p>A key manager that asks this class for the key at each handshake does it; the files'
 * modification times are looked at no more than once per {@link #CHECK_INTERVAL}. A half-written
 * pair (a key that does not match its certificate) is refused and the previous certificate stays
 * in use until the files are whole again.
 */
public final class ServingCertificate {
  private static final Logger LOG = LoggerFactory.getLogger(ServingCertificate.class);
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
  private static final String ALIAS = "serving";

  private final Path certFile;
  private final Path keyFile;
  private final Clock clock;
  private final Consumer<Boolean> onReload;
  private volatile Loaded current;
  private volatile Instant nextCheck;

  private record Loaded(FileTime certTime, FileTime keyTime, X509Certificate[] chain,
      PrivateKey key) {}

  /**
   * Reads the pair once; throws {@link IllegalArgumentException} naming the file at fault.
   *
   * @param onReload told of each reload after the first read: true when it took
   */
  public ServingCertificate(Path certFile, Path keyFile, Clock clock, Consumer<Boolean> onReload) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.clock = clock;
    this.onReload = onReload;
    this.current = load();
    this.nextCheck = clock.instant().plus(CHECK_INTERVAL);
  }

  /** The certificate served now (the first of its chain). */
  public X509Certificate certificate() {
    return refreshed().chain()[0];
  }

  /** An SSLContext (TLS 1.2 and 1.3) whose every handshake serves the current certificate. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new Reloading()}, null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private Loaded refreshed() {
    Instant now = clock.instant();
    if (now.isBefore(nextCheck)) {
      return current;
    }
    synchronized (this) {
      if (now.isBefore(nextCheck)) {
        return current;
      }
      nextCheck = now.plus(CHECK_INTERVAL);
      try {
        FileTime certTime = Files.getLastModifiedTime(certFile);
        FileTime keyTime = Files.getLastModifiedTime(keyFile);
        if (!certTime.equals(current.certTime()) || !keyTime.equals(current.keyTime())) {
          current = load();
          LOG.info("serving certificate reloaded from {} ({}, valid until {})", certFile,
              current.chain()[0].getSubjectX500Principal().getName(),
              current.chain()[0].getNotAfter().toInstant());
          onReload.accept(true);
        }
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("serving certificate not reloaded, the previous one stays in use: {}",
            e.getMessage());
        onReload.accept(false);
      }
      return current;
    }
  }

  private Loaded load() {
    try {
      FileTime certTime = Files.getLastModifiedTime(certFile);
      FileTime keyTime = Files.getLastModifiedTime(keyFile);
      X509Certificate[] chain = readChain(certFile);
      PrivateKey key = readKey(keyFile);
      if (!matches(chain[0], key)) {
        throw new IllegalArgumentException(keyFile + " is not the key of the certificate in "
            + certFile);
      }
      return new Loaded(certTime, keyTime, chain, key);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + e.getMessage(), e);
    }
  }

  /** Every certificate of a PEM file, the serving one first. */
  public static X509Certificate[] readChain(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no PEM certificate");
      }
      return chain.toArray(X509Certificate[]::new);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /** The private key of a PEM file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
  public static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
      Object pem = parser.readObject();
      PrivateKeyInfo info = pem instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
          : pem instanceof PrivateKeyInfo i ? i : null;
      if (info == null) {
        throw new IllegalArgumentException(file + " holds no unencrypted PEM private key");
      }
      return jdkKey(info, file);
    } catch (org.bouncycastle.openssl.PEMException e) {
      throw new IllegalArgumentException(file + " is not a PEM private key: " + e.getMessage(), e);
    }
  }

  /**
   * The key as the JDK's providers make it, whatever providers are registered: where another
   * library registered BouncyCastle, its converter would give BouncyCastle's key classes
   * (algorithm "ECDSA"), which the JDK's TLS does not take for an EC certificate.
   */
  private static PrivateKey jdkKey(PrivateKeyInfo info, Path file) throws IOException {
    java.security.spec.PKCS8EncodedKeySpec spec =
        new java.security.spec.PKCS8EncodedKeySpec(info.getEncoded());
    for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448")) {
      try {
        return java.security.KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (java.security.GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(file + " holds a private key of an unsupported algorithm");
  }

  /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
  private static boolean matches(X509Certificate certificate, PrivateKey key) {
    try {
      String algorithm = switch (key.getAlgorithm()) {
        case "EC" -> "SHA256withECDSA";
        case "RSA" -> "SHA256withRSA";
        default -> key.getAlgorithm();
      };
      byte[] data = "kube-devops".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(data);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** A key manager over the current pair; the JDK's own does the alias and type choices. */
  private final class Reloading extends X509ExtendedKeyManager {
    private Loaded builtFor;
    private X509KeyManager delegate;

    /** The manager of the current pair; a handshake refreshes only when it chooses the alias. */
    private synchronized X509KeyManager delegate(boolean refresh) {
      Loaded now = refresh || builtFor == null ? refreshed() : builtFor;
      if (now != builtFor) {
        try {
          KeyStore store = KeyStore.getInstance("PKCS12");
          store.load(null, null);
          store.setKeyEntry(ALIAS, now.key(), new char[0], now.chain());
          KeyManagerFactory factory =
              KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
          factory.init(store, new char[0]);
          delegate = (X509KeyManager) Arrays.stream(factory.getKeyManagers())
              .filter(k -> k instanceof X509KeyManager).findFirst().orElseThrow();
          builtFor = now;
        } catch (java.security.GeneralSecurityException | IOException e) {
          throw new IllegalStateException("cannot use the serving certificate: " + e.getMessage(),
              e);
        }
      }
      return delegate;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate(true).getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate(true).chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      X509KeyManager d = delegate(true);
      return d instanceof X509ExtendedKeyManager e
          ? e.chooseEngineServerAlias(keyType, issuers, engine)
          : d.chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate(false).getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate(false).getPrivateKey(alias);
    }
  }
}
