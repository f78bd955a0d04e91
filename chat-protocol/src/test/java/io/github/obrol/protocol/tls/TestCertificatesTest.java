package io.github.obrol.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit's {@link TestCertificates}: what its files hold, read back with the JDK's own parsers, because the
 * TLS tests of every module rely on these properties (an expired certificate really expired, the other-host one
 * really not naming localhost). Expected names and OIDs are written out here.
 */
@Timeout(60)
class TestCertificatesTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;

  @Test
  @DisplayName("VALID: chain leaf then CA, CN=localhost, SAN dns:localhost and ip:127.0.0.1, serverAuth, trusted by the CA")
  void valid() throws Exception {
    TestCertificates certificates = TestCertificates.generate(dir, TestCertificates.Kind.VALID);
    List<X509Certificate> chain = read(certificates.certChainPem());
    X509Certificate ca = read(certificates.caPem()).get(0);
    assertEquals(2, chain.size());
    assertEquals(ca, chain.get(1));
    X509Certificate leaf = chain.get(0);
    assertEquals("CN=localhost", leaf.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), names(leaf));
    assertEquals(List.of(SERVER_AUTH), leaf.getExtendedKeyUsage());
    leaf.checkValidity();
    trustManager(ca).checkServerTrusted(chain.toArray(X509Certificate[]::new), "ECDHE_ECDSA");

    assertEquals("CN=Obrol Test CA", ca.getSubjectX500Principal().getName());
    assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints()); // a CA without a path length limit
    assertTrue(ca.getKeyUsage()[5], "keyCertSign");
    ca.verify(ca.getPublicKey());
  }

  @Test
  @DisplayName("EXPIRED: the leaf's validity ended days ago (the CA's has not); PKIX refuses it as expired")
  void expired() throws Exception {
    TestCertificates certificates = TestCertificates.generate(dir, TestCertificates.Kind.EXPIRED);
    List<X509Certificate> chain = read(certificates.certChainPem());
    X509Certificate ca = read(certificates.caPem()).get(0);
    assertThrows(CertificateExpiredException.class, chain.get(0)::checkValidity);
    assertTrue(chain.get(0).getNotAfter().toInstant().isBefore(Instant.now().minus(Duration.ofDays(7))));
    ca.checkValidity();
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), names(chain.get(0)));
    CertificateException e = assertThrows(CertificateException.class,
        () -> trustManager(ca).checkServerTrusted(chain.toArray(X509Certificate[]::new), "ECDHE_ECDSA"));
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof CertificateExpiredException)) {
      cause = cause.getCause();
    }
    assertInstanceOf(CertificateExpiredException.class, cause, e.toString());
  }

  @Test
  @DisplayName("OTHER_HOST: valid and trusted, but names only other.invalid (no localhost, no IP address)")
  void otherHost() throws Exception {
    TestCertificates certificates = TestCertificates.generate(dir, TestCertificates.Kind.OTHER_HOST);
    List<X509Certificate> chain = read(certificates.certChainPem());
    X509Certificate leaf = chain.get(0);
    assertEquals("CN=other.invalid", leaf.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(2, "other.invalid")), names(leaf));
    leaf.checkValidity();
    trustManager(read(certificates.caPem()).get(0)).checkServerTrusted(chain.toArray(X509Certificate[]::new),
        "ECDHE_ECDSA");
  }

  @Test
  @DisplayName("the key store (password from its file) and the PEM key hold the leaf's private key")
  void keyFiles() throws Exception {
    TestCertificates certificates = TestCertificates.generate(dir, TestCertificates.Kind.VALID);
    char[] password = Files.readString(certificates.keystorePasswordFile()).toCharArray();
    assertEquals(certificates.keystorePassword(), new String(password));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.keystore())) {
      store.load(in, password);
    }
    Certificate[] stored = store.getCertificateChain("server");
    assertEquals(read(certificates.certChainPem()), List.of(stored));
    PrivateKey fromStore = (PrivateKey) store.getKey("server", password);

    String pem = Files.readString(certificates.keyPem());
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey fromPem = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    for (PrivateKey key : List.of(fromStore, fromPem)) {
      assertTrue(signs(key, (X509Certificate) stored[0]), key.getFormat());
    }
  }

  @Test
  @DisplayName("server(), client(): issued by the given CA, with the given names, validity and key purpose")
  void issued() throws Exception {
    TestCertificates.Issued ca = TestCertificates.ca("Some CA");
    Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
    TestCertificates.Issued server = TestCertificates.server(ca, "first", notBefore, Duration.ofDays(1));
    X509Certificate s = server.certificate();
    s.verify(ca.certificate().getPublicKey());
    assertEquals(ca.certificate().getSubjectX500Principal(), s.getIssuerX500Principal());
    assertEquals("CN=first", s.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), names(s));
    assertEquals(List.of(SERVER_AUTH), s.getExtendedKeyUsage());
    assertEquals(notBefore, s.getNotBefore().toInstant());
    assertEquals(Instant.parse("2020-01-02T00:00:00Z"), s.getNotAfter().toInstant());
    assertEquals(server.keys().getPublic(), s.getPublicKey());

    X509Certificate c = TestCertificates.client(ca, "carol").certificate();
    c.verify(ca.certificate().getPublicKey());
    assertEquals("CN=carol,O=Obrol tests", c.getSubjectX500Principal().getName());
    assertEquals(List.of(CLIENT_AUTH), c.getExtendedKeyUsage());
    c.checkValidity();
    assertEquals(-1, c.getBasicConstraints()); // not a CA
  }

  private static List<X509Certificate> read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) c);
      }
      return certificates;
    }
  }

  private static List<List<?>> names(X509Certificate certificate) throws Exception {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names == null ? List.of() : List.copyOf(names);
  }

  private static X509TrustManager trustManager(X509Certificate ca) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trusted);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static boolean signs(PrivateKey key, X509Certificate certificate) throws Exception {
    byte[] data = "proof of possession".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(data);
    return verifier.verify(signature);
  }
}
