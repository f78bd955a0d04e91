package io.github.obrol.server;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS session of a connection, as the handshake established it (TLS-1).
 *
 * @param protocol the negotiated protocol, {@code TLSv1.3} or {@code TLSv1.2}
 * @param cipherSuite the negotiated cipher suite
 * @param peerCertificate the client's certificate, present only if the client sent one and it was verified
 *     against the configured certificate authorities (TLS-5)
 */
public record TlsInfo(String protocol, String cipherSuite, Optional<X509Certificate> peerCertificate) {
  public TlsInfo {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    Objects.requireNonNull(peerCertificate, "peerCertificate");
  }
}
