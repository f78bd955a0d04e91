package io.github.obrol.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's TLS settings (PROTOCOL.md section 8.1): its certificate and key, the certificate authorities of
 * client certificates, the provider and how often the files are checked for a new certificate. Immutable; the
 * {@code with...} methods return changed copies.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.pem(Path.of("cert.pem"), Path.of("key.pem"))
 *     .withClientCa(Path.of("clients-ca.pem"))
 *     .withProvider(TlsConfig.Provider.OPENSSL);
 * ChatServer server = ChatServer.builder().tls(tls).requireTls(true).build();
 * }</pre>
 *
 * <p>TLS 1.2 and 1.3 only (TLS-2), with AEAD cipher suites and forward secrecy only.
 */
public final class TlsConfig {
  /** Default {@link #reloadCheckInterval()}: the certificate files are checked for changes every 10 seconds. */
  public static final Duration DEFAULT_RELOAD_CHECK_INTERVAL = Duration.ofSeconds(10);

  /** Which TLS implementation serves the handshakes. */
  public enum Provider {
    /** The JDK's own (SunJSSE). The default. */
    JDK,
    /**
     * OpenSSL (BoringSSL) through {@code netty-tcnative-boringssl-static}, which must be on the class path (the
     * runnable jar has it); faster handshakes and bulk encryption.
     */
    OPENSSL
  }

  private final Path certificateChain;
  private final Path privateKey;
  private final Path keyStore;
  private final char[] keyStorePassword;
  private final Path clientCa;
  private final Provider provider;
  private final Duration reloadCheckInterval;

  private TlsConfig(Path certificateChain, Path privateKey, Path keyStore, char[] keyStorePassword, Path clientCa,
      Provider provider, Duration reloadCheckInterval) {
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.keyStore = keyStore;
    this.keyStorePassword = keyStorePassword;
    this.clientCa = clientCa;
    this.provider = provider;
    this.reloadCheckInterval = reloadCheckInterval;
  }

  /**
   * A certificate chain and its private key in PEM files ({@code -----BEGIN CERTIFICATE-----} and an unencrypted
   * PKCS#8 {@code -----BEGIN PRIVATE KEY-----}, as {@code openssl req -newkey ... -noenc} writes).
   */
  public static TlsConfig pem(Path certificateChain, Path privateKey) {
    return new TlsConfig(Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"), null, null, null, Provider.JDK, DEFAULT_RELOAD_CHECK_INTERVAL);
  }

  /** A PKCS#12 key store holding one private key and its certificate chain; {@code password} is copied. */
  public static TlsConfig pkcs12(Path keyStore, char[] password) {
    Objects.requireNonNull(password, "password");
    return new TlsConfig(null, null, Objects.requireNonNull(keyStore, "keyStore"), password.clone(), null, Provider.JDK,
        DEFAULT_RELOAD_CHECK_INTERVAL);
  }

  /**
   * Asks TLS clients for a certificate, verified against the certificate authorities in this PEM file; a client
   * without one still connects (TLS-5). A verified certificate's subject CN can log in with {@code EXTERNAL}.
   * Default: no client certificates asked for.
   */
  public TlsConfig withClientCa(Path caCertificates) {
    return new TlsConfig(certificateChain, privateKey, keyStore, keyStorePassword,
        Objects.requireNonNull(caCertificates, "caCertificates"), provider, reloadCheckInterval);
  }

  /** The TLS implementation. Default {@link Provider#JDK}. */
  public TlsConfig withProvider(Provider provider) {
    return new TlsConfig(certificateChain, privateKey, keyStore, keyStorePassword, clientCa,
        Objects.requireNonNull(provider, "provider"), reloadCheckInterval);
  }

  /**
   * How often the certificate, key and CA files are checked for changes; a change loads them for new handshakes
   * without closing connections (TLS-4). {@link Duration#ZERO} checks never (then only {@link
   * ChatServer#reloadTls()} does). Default 10 seconds.
   */
  public TlsConfig withReloadCheckInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 0)");
    }
    return new TlsConfig(certificateChain, privateKey, keyStore, keyStorePassword, clientCa, provider, interval);
  }

  /** The PEM certificate chain, if configured with {@link #pem}. */
  public Optional<Path> certificateChain() {
    return Optional.ofNullable(certificateChain);
  }

  /** The PEM private key, if configured with {@link #pem}. */
  public Optional<Path> privateKey() {
    return Optional.ofNullable(privateKey);
  }

  /** The PKCS#12 key store, if configured with {@link #pkcs12}. */
  public Optional<Path> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  /** A copy of the key store's password (empty array without a key store). */
  public char[] keyStorePassword() {
    return keyStorePassword == null ? new char[0] : keyStorePassword.clone();
  }

  /** The certificate authorities of client certificates, if any (TLS-5). */
  public Optional<Path> clientCa() {
    return Optional.ofNullable(clientCa);
  }

  /** The TLS implementation. */
  public Provider provider() {
    return provider;
  }

  /** How often the files are checked for changes, {@link Duration#ZERO} for never. */
  public Duration reloadCheckInterval() {
    return reloadCheckInterval;
  }

  @Override
  public String toString() {
    return "TlsConfig[" + (keyStore != null ? "pkcs12=" + keyStore : "cert=" + certificateChain + ", key=" + privateKey)
        + (clientCa != null ? ", clientCa=" + clientCa : "") + ", provider=" + provider + "]";
  }
}
