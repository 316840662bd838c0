package io.stochastic.devops.webhook;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and the webhook's serving certificate signed by it ({@code webhook
 * cert-generate}): ECDSA P-256 keys (the cheapest handshakes the API server accepts), the CA
 * valid ten years, the serving certificate one year with the service's DNS names. The JDK's
 * providers do the cryptography; BouncyCastle only builds the X.509 structures and writes PEM.
 */
public final class CertificateAuthority {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration SERVING_VALIDITY = Duration.ofDays(365);
  /** The file names of a {@code kubernetes.io/tls} Secret, and the CA bundle beside them. */
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  private CertificateAuthority(KeyPair caKeys, X509Certificate caCertificate) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  /** A new CA named {@code commonName}, valid from {@code now}. */
  public static CertificateAuthority create(String commonName, Instant now) {
    try {
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=" + commonName);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name,
          keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(keys, sign(builder, keys));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create a CA: " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return caCertificate;
  }

  /** The serving certificate of the names (DNS names, or IP addresses) and its key. */
  public Issued issue(List<String> dnsNames, List<String> ipAddresses, Instant now) {
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs a DNS name or an IP");
    }
    try {
      KeyPair keys = newKeyPair();
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(SERVING_VALIDITY)),
          new X500Name("CN=" + commonName), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(caCertificate));
      return new Issued(sign(builder, caKeys), keys);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  /** A serving certificate and its key pair. */
  public record Issued(X509Certificate certificate, KeyPair keys) {}

  /** The DNS names a Service is reached by from the API server. */
  public static List<String> serviceNames(String service, String namespace) {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  /**
   * Writes {@code ca.crt}, {@code ca.key}, {@code tls.crt} and {@code tls.key} into {@code dir}
   * (created if missing); the keys readable by the owner only.
   */
  public void write(Path dir, Issued serving) {
    try {
      Files.createDirectories(dir);
      writeFile(dir.resolve(CA_CERT), pem(caCertificate), false);
      writeFile(dir.resolve(CA_KEY), pem(caKeys.getPrivate()), true);
      writeFile(dir.resolve(TLS_CERT), pem(serving.certificate()), false);
      writeFile(dir.resolve(TLS_KEY), pem(serving.keys().getPrivate()), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates into " + dir + ": "
          + e.getMessage(), e);
    }
  }

  /** One PEM block (certificate, or PKCS#8 private key). */
  public static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object instanceof java.security.PrivateKey key
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()
          : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void writeFile(Path file, String content, boolean secret) throws IOException {
    // written beside, then moved: a server watching the file never reads half of it
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (secret && temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(temporary, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(128, new SecureRandom());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }
}
