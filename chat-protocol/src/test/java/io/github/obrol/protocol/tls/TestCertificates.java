package io.github.obrol.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
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
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests, made at test time in this JVM with Bouncy Castle (nothing private is checked in; EC
 * P-256 keys, generated and signed in milliseconds). Two ways to use it:
 * <ul>
 *   <li>As files, for code that takes paths (the reference server's {@code --tls-keystore}, {@code obrol-chat
 *       --ca}): {@link #shared(Kind)} or {@link #generate(Path, Kind)} write a throw-away certificate authority
 *       and a server certificate it signed, as PEM files and a PKCS#12 key store, into a directory; the record's
 *       components name the files.</li>
 *   <li>As objects, for tests that build their own chains: {@link #ca}, {@link #server}, {@link #client} issue
 *       {@link Issued} key pairs and certificates; {@link #writeCertificates}, {@link #writeKey} and
 *       {@link #writePkcs12} write them; {@link #clientContext(Issued, Issued)} makes a client's
 *       {@link SSLContext}.</li>
 * </ul>
 *
 * @param directory where the files are
 * @param caPem the CA certificate, PEM: what a client trusts ({@code --ca FILE})
 * @param keystore the server's key and chain (server certificate, then CA), PKCS#12, alias {@code server}
 * @param keystorePassword the key store's password (also the key's)
 * @param keystorePasswordFile a file holding {@link #keystorePassword} (no line end)
 * @param certChainPem the server's chain (server certificate, then CA), PEM ({@code --tls-cert FILE})
 * @param keyPem the server's private key, unencrypted PKCS#8 PEM ({@code --tls-key FILE})
 */
public record TestCertificates(Path directory, Path caPem, Path keystore, String keystorePassword,
    Path keystorePasswordFile, Path certChainPem, Path keyPem) {

  /** What the server certificate of {@link #generate(Path, Kind)} says about itself. */
  public enum Kind {
    /** Valid now (from a day ago for three days) for {@code localhost} and {@code 127.0.0.1}. */
    VALID,
    /** Names {@code localhost} and {@code 127.0.0.1}, but its validity ended eight days ago. */
    EXPIRED,
    /** Valid now, but only for {@code other.invalid} (no IP address). */
    OTHER_HOST
  }

  /** A key pair and the certificate issued for its public key. */
  public record Issued(KeyPair keys, X509Certificate certificate) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /** The names a {@link Kind#VALID} or {@link Kind#EXPIRED} certificate (and {@link #server}) is issued for. */
  private static final GeneralName[] LOCALHOST = {
      new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")};
  private static final String PASSWORD = "test-only-" + Long.toHexString(RANDOM.nextLong());
  private static final Map<Kind, TestCertificates> SHARED = new EnumMap<>(Kind.class);
  private static Path sharedDirectory;

  /**
   * Certificates of {@code kind} shared by every test in this JVM, in a temporary directory deleted when the JVM
   * exits. Tests must not change the files.
   */
  public static synchronized TestCertificates shared(Kind kind) throws IOException {
    TestCertificates certificates = SHARED.get(kind);
    if (certificates == null) {
      if (sharedDirectory == null) {
        Path directory = Files.createTempDirectory("obrol-test-certificates");
        sharedDirectory = directory;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory), "delete-test-certificates"));
      }
      certificates = generate(sharedDirectory.resolve(kind.name().toLowerCase(Locale.ROOT)), kind);
      SHARED.put(kind, certificates);
    }
    return certificates;
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temporary directory.
    }
  }

  /**
   * Generates a CA ({@code CN=Obrol Test CA}, valid from 20 days ago for 30 days) and a server certificate of
   * {@code kind} it signed, and writes them to {@code directory} (created if absent): {@code ca.pem},
   * {@code server.p12}, {@code keystore-password}, {@code server-chain.pem} and {@code server-key.pem}.
   *
   * @throws IOException if a file cannot be written, or (wrapped) if the JDK lacks EC or PKCS#12
   */
  public static TestCertificates generate(Path directory, Kind kind) throws IOException {
    Files.createDirectories(directory);
    Instant now = Instant.now();
    try {
      // The CA's validity spans the expired certificate's, so only the leaf's dates make EXPIRED fail.
      Issued ca = ca("Obrol Test CA", now.minus(Duration.ofDays(20)), Duration.ofDays(30));
      Issued server = switch (kind) {
        case VALID -> issueServer(ca, "localhost", LOCALHOST, now.minus(Duration.ofDays(1)), Duration.ofDays(3));
        case EXPIRED -> issueServer(ca, "localhost", LOCALHOST, now.minus(Duration.ofDays(10)), Duration.ofDays(2));
        case OTHER_HOST -> issueServer(ca, "other.invalid",
            new GeneralName[] {new GeneralName(GeneralName.dNSName, "other.invalid")},
            now.minus(Duration.ofDays(1)), Duration.ofDays(3));
      };
      Path caPem = writeCertificates(directory.resolve("ca.pem"), ca.certificate());
      Path keystore = writePkcs12(directory.resolve("server.p12"), server, ca, PASSWORD.toCharArray());
      Path passwordFile = Files.writeString(directory.resolve("keystore-password"), PASSWORD);
      Path chainPem = writeCertificates(directory.resolve("server-chain.pem"), server.certificate(), ca.certificate());
      Path keyPem = writeKey(directory.resolve("server-key.pem"), server.keys().getPrivate());
      return new TestCertificates(directory, caPem, keystore, PASSWORD, passwordFile, chainPem, keyPem);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make test certificates: " + e, e);
    }
  }

  /** A server-side TLS context with the server's key (for a test's own {@code SSLServerSocket}). */
  public SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, keystorePassword.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, keystorePassword.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A client-side TLS context that trusts only this CA (read from {@link #caPem}). */
  public SSLContext clientContext() throws IOException, GeneralSecurityException {
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(caPem)) {
      ca = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return context(ca, null);
  }

  /** A fresh EC P-256 key pair (also good for ES256 tokens). */
  public static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** A self-signed CA with subject {@code CN=<cn>}, valid from an hour ago for two days. */
  public static Issued ca(String cn) throws GeneralSecurityException {
    return ca(cn, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(2));
  }

  private static Issued ca(String cn, Instant notBefore, Duration validity) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X500Principal name = new X500Principal("CN=" + cn);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
        Date.from(notBefore.plus(validity)), name, keys.getPublic());
    JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Issued(keys, sign(b, keys.getPrivate()));
  }

  /**
   * A server certificate signed by {@code ca}: subject {@code CN=<cn>}, subject alternative names
   * {@code localhost} and {@code 127.0.0.1}, extended key usage serverAuth, valid from {@code notBefore} for
   * {@code validity}.
   */
  public static Issued server(Issued ca, String cn, Instant notBefore, Duration validity)
      throws GeneralSecurityException {
    return issueServer(ca, cn, LOCALHOST, notBefore, validity);
  }

  private static Issued issueServer(Issued ca, String cn, GeneralName[] names, Instant notBefore,
      Duration validity) throws GeneralSecurityException {
    return issue(ca, new X500Principal("CN=" + cn), KeyPurposeId.id_kp_serverAuth, new GeneralNames(names),
        notBefore, validity);
  }

  /**
   * A client certificate signed by {@code ca} whose subject is {@code CN=<account>,O=Obrol tests} (what
   * {@code EXTERNAL} logs in as), extended key usage clientAuth, valid from an hour ago for a day.
   */
  public static Issued client(Issued ca, String account) throws GeneralSecurityException {
    // The JDK's parser encodes the names in the usual order (O, then CN), which it prints back as written here.
    return issue(ca, new X500Principal("CN=" + account + ",O=Obrol tests"), KeyPurposeId.id_kp_clientAuth, null,
        Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
  }

  private static Issued issue(Issued ca, X500Principal subject, KeyPurposeId purpose, GeneralNames names,
      Instant notBefore, Duration validity) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    // Taking the issuer from the CA certificate copies its name's exact encoding, which chain building compares.
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(notBefore),
        Date.from(notBefore.plus(validity)), subject, keys.getPublic());
    JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
    try {
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (names != null) {
        b.addExtension(Extension.subjectAlternativeName, false, names);
      }
      b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(ca.certificate()));
    } catch (CertIOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Issued(keys, sign(b, ca.keys().getPrivate()));
  }

  /** A positive random serial number, so two certificates of one issuer never share one. */
  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Writes certificates to {@code file} as one PEM file, in the given order (a chain: leaf first). */
  public static Path writeCertificates(Path file, X509Certificate... chain) throws IOException, GeneralSecurityException {
    StringBuilder text = new StringBuilder();
    for (X509Certificate c : chain) {
      text.append(pem("CERTIFICATE", c.getEncoded()));
    }
    return Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  /** Writes a private key to {@code file} as unencrypted PKCS#8 PEM. */
  public static Path writeKey(Path file, PrivateKey key) throws IOException {
    return Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
  }

  /**
   * Writes a PKCS#12 key store holding {@code issued}'s key and its chain up to {@code ca}, under the alias
   * {@code server}; the key's password is the store's.
   */
  public static Path writePkcs12(Path file, Issued issued, Issued ca, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", issued.keys().getPrivate(), password,
        new Certificate[] {issued.certificate(), ca.certificate()});
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }

  /** A client TLS context that trusts only {@code ca} and, if {@code clientCertificate} is not null, presents it. */
  public static SSLContext clientContext(Issued ca, Issued clientCertificate) throws GeneralSecurityException, IOException {
    return context(ca.certificate(), clientCertificate);
  }

  private static SSLContext context(X509Certificate ca, Issued clientCertificate)
      throws GeneralSecurityException, IOException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    KeyManagerFactory keys = null;
    if (clientCertificate != null) {
      // An in-memory store only: its password protects nothing.
      char[] password = "in-memory".toCharArray();
      KeyStore own = KeyStore.getInstance("PKCS12");
      own.load(null, null);
      own.setKeyEntry("client", clientCertificate.keys().getPrivate(), password,
          new Certificate[] {clientCertificate.certificate()});
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(own, password);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
