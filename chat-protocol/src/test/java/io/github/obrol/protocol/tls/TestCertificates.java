package io.github.obrol.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for tests, made at test time with the JDK's {@code keytool} (nothing private is checked in):
 * a throw-away certificate authority and a server certificate it signed, as a PKCS#12 keystore, PEM files
 * and {@link SSLContext}s. Everything lives in a directory the caller owns (a JUnit {@code @TempDir}).
 *
 * @param directory where the files are
 * @param caPem the CA certificate, PEM: what a client trusts ({@code --ca FILE})
 * @param keystore the server's key and chain (server certificate, then CA), PKCS#12
 * @param keystorePassword the keystore's password
 * @param keystorePasswordFile a file holding {@link #keystorePassword} (no line end)
 * @param certChainPem the server's chain, PEM ({@code --tls-cert FILE})
 * @param keyPem the server's private key, unencrypted PKCS#8 PEM ({@code --tls-key FILE})
 */
public record TestCertificates(Path directory, Path caPem, Path keystore, String keystorePassword,
    Path keystorePasswordFile, Path certChainPem, Path keyPem) {

  /** What the server certificate says about itself. */
  public enum Kind {
    /** Valid now for {@code localhost} and {@code 127.0.0.1}. */
    VALID,
    /** Names {@code localhost} and {@code 127.0.0.1}, but its validity ended days ago. */
    EXPIRED,
    /** Valid now, but only for {@code other.invalid} (no IP address). */
    OTHER_HOST
  }

  private static final String PASSWORD = "test-only-" + Long.toHexString(System.nanoTime());
  private static final java.util.Map<Kind, TestCertificates> SHARED = new java.util.EnumMap<>(Kind.class);
  private static Path sharedDirectory;

  /**
   * Certificates of {@code kind} shared by every test in this JVM (keytool is slow), in a temporary directory
   * deleted when the JVM exits. Tests must not change the files.
   */
  public static synchronized TestCertificates shared(Kind kind) throws IOException {
    TestCertificates certificates = SHARED.get(kind);
    if (certificates == null) {
      if (sharedDirectory == null) {
        Path directory = Files.createTempDirectory("obrol-test-certificates");
        sharedDirectory = directory;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory), "delete-test-certificates"));
      }
      certificates = generate(sharedDirectory.resolve(kind.name().toLowerCase(java.util.Locale.ROOT)), kind);
      SHARED.put(kind, certificates);
    }
    return certificates;
  }

  private static void deleteQuietly(Path directory) {
    try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temporary directory.
    }
  }

  /**
   * Generates a CA and a server certificate of {@code kind} in {@code directory} (created if absent).
   * Takes a few seconds (several {@code keytool} runs).
   *
   * @throws IOException if keytool is missing or fails; its output is in the message
   */
  public static TestCertificates generate(Path directory, Kind kind) throws IOException {
    Files.createDirectories(directory);
    Path ca = directory.resolve("ca.p12");
    Path caPem = directory.resolve("ca.pem");
    Path keystore = directory.resolve("server.p12");
    Path csr = directory.resolve("server.csr");
    Path signed = directory.resolve("server-cert.pem");
    keytool(directory, "-genkeypair", "-keystore", ca.toString(), "-storetype", "PKCS12", "-alias", "ca",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Obrol Test CA", "-ext", "bc:c",
        "-validity", "30", "-startdate", "-20d");
    keytool(directory, "-exportcert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-file", caPem.toString());
    keytool(directory, "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-alias", "server",
        "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", kind == Kind.OTHER_HOST ? "CN=other.invalid" : "CN=localhost", "-validity", "2");
    keytool(directory, "-certreq", "-keystore", keystore.toString(), "-alias", "server", "-file", csr.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-keystore", ca.toString(), "-alias", "ca",
        "-infile", csr.toString(), "-outfile", signed.toString(), "-ext", "eku=serverAuth",
        "-ext", kind == Kind.OTHER_HOST ? "san=dns:other.invalid" : "san=dns:localhost,ip:127.0.0.1"));
    if (kind == Kind.EXPIRED) {
      gencert.addAll(List.of("-startdate", "-10d", "-validity", "2"));
    } else {
      gencert.addAll(List.of("-startdate", "-1d", "-validity", "3"));
    }
    keytool(directory, gencert.toArray(String[]::new));
    keytool(directory, "-importcert", "-noprompt", "-keystore", keystore.toString(), "-alias", "ca",
        "-file", caPem.toString());
    keytool(directory, "-importcert", "-noprompt", "-keystore", keystore.toString(), "-alias", "server",
        "-file", signed.toString());
    Path passwordFile = directory.resolve("keystore-password");
    Files.writeString(passwordFile, PASSWORD);
    Path chainPem = directory.resolve("server-chain.pem");
    Path keyPem = directory.resolve("server-key.pem");
    try {
      KeyStore store = load(keystore);
      StringBuilder chain = new StringBuilder();
      for (Certificate c : store.getCertificateChain("server")) {
        chain.append(pem("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(chainPem, chain);
      Key key = store.getKey("server", PASSWORD.toCharArray());
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the generated keystore: " + e, e);
    }
    return new TestCertificates(directory, caPem, keystore, PASSWORD, passwordFile, chainPem, keyPem);
  }

  /** A server-side TLS context with the server's key (for a test's own {@code SSLServerSocket}). */
  public SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(load(keystore), PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A client-side TLS context that trusts only this CA. */
  public SSLContext clientContext() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trusted.setCertificateEntry("ca",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path keystore) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(Path directory, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keypass", PASSWORD));
    }
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    try {
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool " + args[0] + " did not finish within 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed (exit " + process.exitValue() + "): "
            + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while keytool ran", e);
    }
  }
}
