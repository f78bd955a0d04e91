package io.github.obrol.server.internal;

import io.github.obrol.server.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's current TLS context (TLS-1, TLS-2, TLS-4): built from a {@link TlsConfig}, replaced when its
 * files change or on request, without touching established connections (each holds its own engine).
 */
final class TlsContexts {
  private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
  /** TLS 1.3 and 1.2 only (TLS-2). */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /** AEAD suites with forward secrecy only, best first; those a provider lacks are dropped. */
  static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final TlsConfig config;
  private volatile SslContext current;
  private volatile List<Object> stamp;

  /** @throws UncheckedIOException if the files cannot be read or do not hold a usable key and certificate */
  TlsContexts(TlsConfig config) {
    this.config = config;
    this.stamp = stamp();
    try {
      this.current = build(config);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot load the TLS certificate (" + config + "): " + e.getMessage(), e));
    }
  }

  SslContext current() {
    return current;
  }

  TlsConfig config() {
    return config;
  }

  /** Reloads if a file's size or modification time changed since the last load; whether it reloaded. */
  boolean reloadIfChanged() {
    List<Object> now = stamp();
    if (Objects.equals(now, stamp)) {
      return false;
    }
    return reload();
  }

  /** Reloads the files; on failure keeps the current context and logs why (no key material, no password). */
  synchronized boolean reload() {
    List<Object> before = stamp();
    try {
      SslContext next = build(config);
      current = next;
      stamp = before;
      log.info("TLS certificate reloaded from {}", config);
      return true;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      stamp = before; // do not retry the same broken files every check; a further change retries
      log.warn("TLS certificate not reloaded, the previous one stays in use: {}", e.getMessage());
      return false;
    }
  }

  private List<Object> stamp() {
    List<Object> s = new ArrayList<>();
    for (Path p : files()) {
      try {
        s.add(Files.getLastModifiedTime(p).toMillis());
        s.add(Files.size(p));
      } catch (IOException e) {
        s.add("missing");
      }
    }
    return s;
  }

  private List<Path> files() {
    List<Path> files = new ArrayList<>();
    config.certificateChain().ifPresent(files::add);
    config.privateKey().ifPresent(files::add);
    config.keyStore().ifPresent(files::add);
    config.clientCa().ifPresent(files::add);
    return files;
  }

  /** Whether OpenSSL (netty-tcnative) can be used here. */
  static boolean openSslAvailable() {
    try {
      return OpenSsl.isAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  static SslContext build(TlsConfig config) throws IOException, GeneralSecurityException {
    SslContextBuilder b;
    if (config.keyStore().isPresent()) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      char[] password = config.keyStorePassword();
      try (InputStream in = Files.newInputStream(config.keyStore().get())) {
        ks.load(in, password);
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      java.util.Arrays.fill(password, '\0');
      b = SslContextBuilder.forServer(kmf);
    } else {
      b = SslContextBuilder.forServer(config.certificateChain().orElseThrow().toFile(), config.privateKey().orElseThrow().toFile());
    }
    if (config.provider() == TlsConfig.Provider.OPENSSL) {
      if (!openSslAvailable()) {
        throw new IllegalStateException("the OpenSSL provider needs netty-tcnative-boringssl-static on the class path"
            + " (expected: it, or the JDK provider)");
      }
      b.sslProvider(SslProvider.OPENSSL);
    } else {
      b.sslProvider(SslProvider.JDK);
    }
    b.protocols(PROTOCOLS).ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
    if (config.clientCa().isPresent()) {
      b.trustManager(config.clientCa().get().toFile()).clientAuth(ClientAuth.OPTIONAL); // TLS-5
    }
    return b.build();
  }
}
