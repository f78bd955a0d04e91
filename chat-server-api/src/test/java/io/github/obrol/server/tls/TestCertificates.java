package io.github.obrol.server.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time with Bouncy Castle (nothing private is checked in): a CA, a server certificate
 * for {@code localhost} and {@code 127.0.0.1} signed by it, and client certificates whose CN is an account. EC
 * P-256 keys, because they are generated in milliseconds.
 */
public final class TestCertificates {
  /** A key pair and its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  public static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A self-signed CA. */
  public static Issued ca(String cn) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X500Name name = new X500Name("CN=" + cn);
    X509v3CertificateBuilder b = builder(name, name, keys, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(2));
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Issued(keys, sign(b, keys.getPrivate()));
  }

  /** A server certificate for {@code localhost} and 127.0.0.1, valid from {@code notBefore} for {@code validity}. */
  public static Issued server(Issued ca, String cn, Instant notBefore, Duration validity) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder b = builder(subjectOf(ca), new X500Name("CN=" + cn), keys, notBefore, validity);
    try {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Issued(keys, sign(b, ca.keys().getPrivate()));
  }

  /** A client certificate whose subject CN is {@code account}. */
  public static Issued client(Issued ca, String account) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder b = builder(subjectOf(ca), new X500Name("CN=" + account + ",O=Obrol tests"), keys,
        Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
    return new Issued(keys, sign(b, ca.keys().getPrivate()));
  }

  private static X500Name subjectOf(Issued ca) {
    return new X500Name(ca.certificate().getSubjectX500Principal().getName());
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant notBefore,
      Duration validity) {
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
        Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
    try {
      ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Writes certificates as one PEM file (a chain: leaf first). */
  public static Path writeCertificates(Path file, X509Certificate... chain) throws IOException, GeneralSecurityException {
    StringBuilder b = new StringBuilder();
    for (X509Certificate c : chain) {
      b.append(pem("CERTIFICATE", c.getEncoded()));
    }
    Files.writeString(file, b.toString(), StandardCharsets.US_ASCII);
    return file;
  }

  /** Writes a private key as unencrypted PKCS#8 PEM. */
  public static Path writeKey(Path file, PrivateKey key) throws IOException {
    Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    return file;
  }

  /** Writes a PKCS#12 key store holding {@code issued}'s key and its chain up to {@code ca}. */
  public static Path writePkcs12(Path file, Issued issued, Issued ca, char[] password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", issued.keys().getPrivate(), password,
        new java.security.cert.Certificate[] {issued.certificate(), ca.certificate()});
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
    return file;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** A client TLS context that trusts {@code ca} and, if {@code clientCert} is not null, presents it. */
  public static SSLContext clientContext(Issued ca, Issued clientCert) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (clientCert != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] pw = "test".toCharArray();
      keys.setKeyEntry("client", clientCert.keys().getPrivate(), pw,
          new java.security.cert.Certificate[] {clientCert.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, pw);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
    return ctx;
  }
}
