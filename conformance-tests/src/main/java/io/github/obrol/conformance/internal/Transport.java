package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.ConformanceSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Opens the suite's connections: TCP, then the JDK's TLS (1.3 or 1.2) when {@link ConformanceSecurity#tls()}
 * says so. A failed handshake is an {@link IOException} whose message says what was wrong.
 */
public final class Transport {
  private Transport() {}

  /** A connected socket to {@code address}, TLS handshake done if TLS is on. */
  public static Socket open(InetSocketAddress address, ConformanceSecurity security, Duration timeout)
      throws IOException {
    return open(new Socket(), address, security, timeout);
  }

  /** As {@link #open(InetSocketAddress, ConformanceSecurity, Duration)} with a socket the caller configured. */
  public static Socket open(Socket tcp, InetSocketAddress address, ConformanceSecurity security, Duration timeout)
      throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try {
      tcp.setTcpNoDelay(true);
      tcp.connect(address, millis);
      return security.tls() ? secure(tcp, address, security, millis) : tcp;
    } catch (IOException | RuntimeException e) {
      tcp.close();
      throw e;
    }
  }

  /** Layers TLS over the connected {@code tcp}, verifying as {@code security} says. */
  public static SSLSocket secure(Socket tcp, InetSocketAddress address, ConformanceSecurity security, int millis)
      throws IOException {
    SSLSocket ssl = (SSLSocket) context(security).getSocketFactory()
        .createSocket(tcp, address.getHostString(), address.getPort(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    parameters.setEndpointIdentificationAlgorithm(security.insecure() ? null : "HTTPS");
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(millis);
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      tcp.close();
      throw new IOException("TLS handshake with " + address.getHostString() + ":" + address.getPort() + " failed ("
          + (security.insecure() ? "accepting any certificate" : security.caFile().map(f -> "trusting " + f)
              .orElse("trusting the JVM's CAs")) + "): " + e.getMessage()
          + (security.insecure() ? "" : "; a self-signed test server needs --ca FILE or --tls-insecure"), e);
    }
    ssl.setSoTimeout(0);
    return ssl;
  }

  private static final java.util.Map<ConformanceSecurity, SSLContext> CONTEXTS =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  private static SSLContext context(ConformanceSecurity security) throws IOException {
    SSLContext cached = CONTEXTS.get(security);
    if (cached != null) {
      return cached;
    }
    SSLContext made = newContext(security);
    CONTEXTS.put(security, made);
    return made;
  }

  private static SSLContext newContext(ConformanceSecurity security) throws IOException {
    try {
      TrustManager[] trust;
      if (security.insecure()) {
        trust = new TrustManager[] {new AcceptAnything()};
      } else if (security.caFile().isPresent()) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(security.caFile().get())) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("ca-" + i++, c);
          }
          if (i == 0) {
            throw new IOException("the CA file " + security.caFile().get() + " holds no certificate");
          }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        trust = factory.getTrustManagers();
      } else {
        trust = null; // the JVM's default trust store
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** --tls-insecure: for self-signed test servers only; the suite judges the protocol, not the certificate. */
  private static final class AcceptAnything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
