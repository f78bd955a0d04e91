package io.github.obrol.server.auth;

import io.github.obrol.server.AuthAttempt;
import io.github.obrol.server.CredentialVerifier;
import io.github.obrol.server.Credentials;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code EXTERNAL} (AUTH-8, TLS-5): the TLS handshake verified the client's certificate against the configured
 * certificate authorities; its subject's common name is the account. Add it together with {@link
 * io.github.obrol.server.TlsConfig#withClientCa}.
 */
public final class ClientCertificateVerifier implements CredentialVerifier {
  /** A verifier that accepts every verified client certificate as its CN. */
  public ClientCertificateVerifier() {}

  @Override
  public Set<String> mechanisms() {
    return Set.of("EXTERNAL");
  }

  @Override
  public CompletionStage<Optional<String>> verify(AuthAttempt attempt) {
    return CompletableFuture.completedFuture(attempt.credentials() instanceof Credentials.Certificate c
        ? Optional.of(c.account()) : Optional.empty());
  }
}
