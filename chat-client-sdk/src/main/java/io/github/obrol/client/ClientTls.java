package io.github.obrol.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a {@link ChatClient} secures its connection with TLS ({@link ChatClient.Builder#tls(ClientTls)}):
 * which certificate authorities it trusts and whether it checks that the server's certificate names the
 * host it connects to. Immutable.
 *
 * <p>The client offers TLS 1.3 and 1.2 only ({@link #PROTOCOLS}) and verifies the host name by default
 * (the {@code HTTPS} endpoint identification of RFC 2818 and RFC 6125: a DNS or IP subject alternative
 * name must match the host given to {@link ChatClient.Builder#address(String, int)}).
 *
 * <pre>{@code
 * ChatClient.builder().address("chat.example.org", 9009).tls(ClientTls.systemDefault())     // public CA
 * ChatClient.builder().address("chat.internal", 9009).tls(ClientTls.trusting(Path.of("ca.pem")))
 * }</pre>
 */
public final class ClientTls {
  /** The TLS versions the client offers: {@code TLSv1.3} and {@code TLSv1.2}. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final SSLContext context;
  private final String trustDescription;
  private final boolean hostnameVerification;

  private ClientTls(SSLContext context, String trustDescription, boolean hostnameVerification) {
    this.context = context;
    this.trustDescription = trustDescription;
    this.hostnameVerification = hostnameVerification;
  }

  /**
   * Trusts the JVM's default certificate authorities (its {@code cacerts}, or the {@code
   * javax.net.ssl.trustStore} system property), as HTTPS clients do.
   *
   * @throws IllegalStateException if the JVM has no usable default TLS context
   */
  public static ClientTls systemDefault() {
    try {
      return new ClientTls(SSLContext.getDefault(), "the JVM's default trust store", true);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM has no default TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * Trusts only the certificate authorities in {@code caFile}: one or more PEM ({@code -----BEGIN
   * CERTIFICATE-----}) or DER X.509 certificates, such as the CA that signed a private server's
   * certificate, or a self-signed server certificate itself. Read once, now.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if it holds no certificate or one that does not parse
   */
  public static ClientTls trusting(Path caFile) {
    Objects.requireNonNull(caFile, "caFile");
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the CA file " + caFile + " is not a PEM or DER X.509 certificate: "
          + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the CA file " + caFile + " holds no certificate (expected: PEM"
          + " blocks \"-----BEGIN CERTIFICATE-----\")");
    }
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return new ClientTls(context, "the CA file " + caFile, true);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context trusting " + caFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Uses the caller's {@code context}, for trust stores, client certificates (key managers) or providers
   * that the other factories do not cover. Host names are still verified unless {@link
   * #withHostnameVerification(boolean)} turns it off.
   */
  public static ClientTls using(SSLContext context) {
    return new ClientTls(Objects.requireNonNull(context, "context"), "the caller's SSLContext", true);
  }

  /**
   * This configuration with host name verification on ({@code true}, the default) or off. Turning it off
   * accepts any certificate the trusted authorities signed, whatever host it names: only for tests and
   * for servers reached through an address their certificate cannot name.
   */
  public ClientTls withHostnameVerification(boolean verify) {
    return new ClientTls(context, trustDescription, verify);
  }

  /** The TLS context that creates the client's sockets. */
  public SSLContext context() {
    return context;
  }

  /** Whether the server's certificate must name the host connected to. */
  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  /** What the client trusts, for messages: {@code "the CA file ca.pem"}, for example. */
  public String trustDescription() {
    return trustDescription;
  }

  @Override
  public String toString() {
    return "ClientTls[trust=" + trustDescription + ", hostnameVerification=" + hostnameVerification + "]";
  }
}
