package io.github.obrol.server;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Checks the credentials of a modern {@code AUTH} request (PROTOCOL.md section 8) and names the account they
 * prove. Built-in verifiers: {@link io.github.obrol.server.auth.PasswordFile} ({@code PLAIN}, {@code SCRAM-SHA-256}), {@link
 * io.github.obrol.server.auth.JwtVerifier} ({@code TOKEN}) and {@link
 * io.github.obrol.server.auth.ClientCertificateVerifier} ({@code EXTERNAL}).
 *
 * <p>Called on the server's hook executor, never on an I/O thread. While it decides, the connection reads no
 * further command. A stage that does not complete within {@link ChatServer#hookTimeout()}, that completes
 * exceptionally, or a verifier that throws, fails the attempt with {@code AUTH_FAILED}, like wrong
 * credentials (AUTH-5). The server throttles failures itself (AUTH-11); a verifier need not.
 *
 * <p>A verifier must never put a password or a token into a log line, an exception message or a metric
 * (AUTH-13), and should compare secrets in constant time ({@link java.security.MessageDigest#isEqual}).
 *
 * <p>This is the credential check; {@link Authenticator} (name-only, at {@code LOGIN}) still runs afterwards as
 * the server's login policy.
 */
public interface CredentialVerifier {

  /**
   * The mechanisms this verifier checks, among {@code PLAIN}, {@code TOKEN}, {@code SCRAM-SHA-256} and {@code
   * EXTERNAL}; the server
   * offers their union (AUTH-2, AUTH-9) and hands each attempt to the first verifier that names its mechanism.
   */
  Set<String> mechanisms();

  /**
   * The account {@code attempt} proves, or empty if the credentials are wrong. The account must be a token (no
   * space, no control character, AUTH-4); another value fails the attempt.
   */
  CompletionStage<Optional<String>> verify(AuthAttempt attempt) throws Exception;

  /**
   * The SCRAM-SHA-256 credential of {@code account} (matched ignoring case), for a verifier that lists {@code
   * SCRAM-SHA-256} in {@link #mechanisms()}; the server runs the exchange itself (RFC 5802) and never calls
   * {@link #verify} for it. Called on the hook executor. For an account it does not know, a verifier should answer
   * a decoy with a salt that stays the same for that name and the iteration count its real accounts have, so that
   * the server's challenge does not tell which accounts exist (AUTH-5); empty makes the server answer a decoy of
   * its own (4,096 iterations). Default: empty.
   */
  default Optional<ScramCredential> scramCredential(String account) throws Exception {
    return Optional.empty();
  }

  /**
   * Whether {@code account} may log in as {@code name} (AUTH-10). Called on the connection's event loop; must
   * be fast. Default: only the name equal to the account, ignoring ASCII case.
   */
  default boolean mayUseName(String account, String name) {
    return account.equalsIgnoreCase(name);
  }
}
