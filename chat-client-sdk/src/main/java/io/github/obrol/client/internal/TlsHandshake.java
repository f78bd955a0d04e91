package io.github.obrol.client.internal;

import io.github.obrol.client.ClientTls;
import io.github.obrol.client.TlsException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Layers TLS on a connected socket and turns the JDK's handshake failures into a {@link TlsException}. */
final class TlsHandshake {
  private TlsHandshake() {}

  /**
   * Runs the handshake on {@code tcp} (connected), within the connect timeout, and returns the TLS socket.
   *
   * @throws TlsException if the handshake fails, with the reason in words
   */
  static SSLSocket secure(Socket tcp, ClientSettings config) {
    ClientTls tls = config.tls();
    SSLSocket ssl = null;
    try {
      ssl = (SSLSocket) tls.context().getSocketFactory().createSocket(tcp, config.host(), config.port(), true);
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setProtocols(ClientTls.PROTOCOLS.stream()
          .filter(java.util.Arrays.asList(ssl.getSupportedProtocols())::contains).toArray(String[]::new));
      // RFC 2818 / RFC 6125 host name checks, done by the JDK's trust manager during the handshake.
      parameters.setEndpointIdentificationAlgorithm(tls.hostnameVerification() ? "HTTPS" : null);
      ssl.setSSLParameters(parameters);
      ssl.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis())));
      ssl.startHandshake();
      ssl.setSoTimeout(0);
      return ssl;
    } catch (IOException e) {
      if (ssl != null) {
        try {
          ssl.close();
        } catch (IOException ignored) {
          // Already failing; the original error says what happened.
        }
      }
      throw classify(config.address(), config.host(), tls, e);
    }
  }

  /** The failure in words a user can act on. */
  static TlsException classify(String address, String host, ClientTls tls, IOException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return new TlsException(address, TlsException.Reason.CERTIFICATE_EXPIRED,
            "the server's certificate has expired (" + t.getMessage() + ")", failure);
      }
      if (t instanceof CertificateNotYetValidException) {
        return new TlsException(address, TlsException.Reason.CERTIFICATE_NOT_YET_VALID,
            "the server's certificate is not valid yet (" + t.getMessage() + ")", failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      // The JDK's HostnameChecker says "No subject alternative DNS name matching x found.", "No subject
      // alternative names matching IP address x found" or "No name matching x found".
      if (message.contains("No subject alternative") || message.contains("No name matching")) {
        return new TlsException(address, TlsException.Reason.HOSTNAME_MISMATCH,
            "the server's certificate is not valid for the host name " + host + " (" + message + ")", failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof CertPathBuilderException || message.contains("PKIX path building failed")) {
        return new TlsException(address, TlsException.Reason.UNTRUSTED_CERTIFICATE,
            "the server's certificate is not signed by an authority the client trusts (trusting "
                + tls.trustDescription() + "); give the CA that signed it", failure);
      }
    }
    String detail = failure instanceof SocketTimeoutException ? "no TLS answer in time (is it a plain-text server?)"
        : failure.getMessage() == null ? failure.toString() : failure.getMessage();
    if (detail.toLowerCase(Locale.ROOT).contains("unsupported or unrecognized ssl message")
        || detail.contains("Remote host terminated the handshake")) {
      detail += " (the server may not speak TLS on this port)";
    }
    return new TlsException(address, TlsException.Reason.HANDSHAKE_FAILED, detail, failure);
  }
}
