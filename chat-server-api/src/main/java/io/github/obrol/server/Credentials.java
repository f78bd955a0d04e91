package io.github.obrol.server;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * What a client presented in a modern {@code AUTH} exchange (PROTOCOL.md section 8), decoded by the server.
 * Immutable; the {@code toString()} of every kind hides the secret, so a credential that ends up in a log line
 * or an exception message shows no password and no token (AUTH-13).
 */
public sealed interface Credentials permits Credentials.Password, Credentials.Token, Credentials.Certificate {

  /** The SASL mechanism that carried these credentials: {@code PLAIN}, {@code TOKEN} or {@code EXTERNAL}. */
  String mechanism();

  /**
   * A password ({@code AUTH PLAIN}, RFC 4616): the account (authcid) and its password, as UTF-8 text.
   *
   * @param account the account the client claims, as it sent it
   * @param password the password; compare it in constant time and never log it
   */
  record Password(String account, String password) implements Credentials {
    public Password {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String mechanism() {
      return "PLAIN";
    }

    @Override
    public String toString() {
      return "Password[account=" + account + ", password=<hidden>]";
    }
  }

  /**
   * A bearer token ({@code AUTH TOKEN}): a JWT in compact form whose {@code sub} names the account (AUTH-8).
   *
   * @param token the token as the client sent it; never log it
   */
  record Token(String token) implements Credentials {
    public Token {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String mechanism() {
      return "TOKEN";
    }

    @Override
    public String toString() {
      return "Token[<hidden>]";
    }
  }

  /**
   * A TLS client certificate that the handshake verified against the configured certificate authorities
   * ({@code AUTH EXTERNAL}, TLS-5).
   *
   * @param account the account the certificate names: the common name (CN) of its subject
   * @param certificate the verified certificate
   */
  record Certificate(String account, X509Certificate certificate) implements Credentials {
    public Certificate {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(certificate, "certificate");
    }

    @Override
    public String mechanism() {
      return "EXTERNAL";
    }
  }
}
