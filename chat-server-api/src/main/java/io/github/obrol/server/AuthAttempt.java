package io.github.obrol.server;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code AUTH} request handed to a {@link CredentialVerifier}: who asks, over what, with what.
 *
 * @param session the connection (anonymous: {@code AUTH} comes before {@code LOGIN})
 * @param credentials what the client presented
 * @param tls the connection's TLS session, empty for a plain-text connection
 */
public record AuthAttempt(SessionInfo session, Credentials credentials, Optional<TlsInfo> tls) {
  public AuthAttempt {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(tls, "tls");
  }
}
