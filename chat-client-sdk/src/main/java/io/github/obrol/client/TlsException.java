package io.github.obrol.client;

import java.util.Objects;

/**
 * The TLS handshake with the server failed: its certificate has expired, names another host, or is not
 * signed by an authority the client trusts ({@link ClientTls}), or the two sides share no TLS version or
 * cipher. The client does not reconnect after a certificate problem: it would only be refused again.
 */
public final class TlsException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** Why the handshake failed. */
  public enum Reason {
    /** The server's certificate (or one in its chain) is past its end of validity. */
    CERTIFICATE_EXPIRED,
    /** The server's certificate (or one in its chain) is not valid yet. */
    CERTIFICATE_NOT_YET_VALID,
    /** The server's certificate does not name the host the client connected to. */
    HOSTNAME_MISMATCH,
    /** No trusted authority signed the server's certificate (self-signed or unknown CA). */
    UNTRUSTED_CERTIFICATE,
    /** Anything else: no common protocol version or cipher, a plain-text server, a broken connection. */
    HANDSHAKE_FAILED;

    /** Whether the server's certificate was refused (rather than the handshake failing otherwise). */
    public boolean isCertificateProblem() {
      return this != HANDSHAKE_FAILED;
    }
  }

  private final Reason reason;

  /**
   * The exception for a handshake with {@code address} that failed for {@code reason}.
   *
   * @param address {@code host:port}
   * @param reason why
   * @param detail what went wrong, in words, for people
   * @param cause the JDK's exception
   */
  public TlsException(String address, Reason reason, String detail, Throwable cause) {
    super("TLS handshake with " + address + " failed: " + detail, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the handshake failed. */
  public Reason reason() {
    return reason;
  }
}
