package io.github.obrol.server;

import io.github.obrol.server.internal.Sha256;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * What a server stores for {@code AUTH SCRAM-SHA-256} (RFC 5802 section 3, RFC 7677): the salt, the iteration
 * count, {@code StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key"))} and {@code ServerKey =
 * HMAC(SaltedPassword, "Server Key")}, where {@code SaltedPassword = PBKDF2-HMAC-SHA256(password, salt,
 * iterations)}. Neither key gives the password; StoredKey verifies a client's proof, ServerKey signs the
 * server's answer. Immutable: the arrays are copied in and out.
 *
 * @param account the account, as the server names it in {@code OK AUTH} (a token, AUTH-4)
 * @param salt the salt, at least 8 bytes
 * @param iterations the PBKDF2 iteration count, at least 1
 * @param storedKey StoredKey, 32 bytes
 * @param serverKey ServerKey, 32 bytes
 */
public record ScramCredential(String account, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
  /** Checks and copies the fields. */
  public ScramCredential {
    Objects.requireNonNull(account, "account");
    if (salt.length < 8 || iterations < 1 || storedKey.length != 32 || serverKey.length != 32) {
      throw new IllegalArgumentException("salt " + salt.length + " bytes, iterations " + iterations + ", keys "
          + storedKey.length + " and " + serverKey.length + " bytes (expected: salt >= 8 bytes, iterations >= 1,"
          + " keys of 32 bytes)");
    }
    salt = salt.clone();
    storedKey = storedKey.clone();
    serverKey = serverKey.clone();
  }

  /**
   * The credential of {@code account} whose {@code SaltedPassword} (PBKDF2-HMAC-SHA256 of the password with
   * {@code salt} and {@code iterations}, 32 bytes) is {@code saltedPassword}.
   */
  public static ScramCredential fromSaltedPassword(String account, byte[] salt, int iterations, byte[] saltedPassword) {
    byte[] clientKey = Sha256.hmac(saltedPassword, "Client Key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] serverKey = Sha256.hmac(saltedPassword, "Server Key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return new ScramCredential(account, salt, iterations, Sha256.digest(clientKey), serverKey);
  }

  /** Whether {@code saltedPassword} gives this credential's StoredKey, compared in constant time (AUTH-13). */
  public boolean matchesSaltedPassword(byte[] saltedPassword) {
    byte[] clientKey = Sha256.hmac(saltedPassword, "Client Key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return MessageDigest.isEqual(Sha256.digest(clientKey), storedKey);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] storedKey() {
    return storedKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramCredential c && c.account.equals(account) && c.iterations == iterations
        && MessageDigest.isEqual(c.salt, salt) && MessageDigest.isEqual(c.storedKey, storedKey)
        && MessageDigest.isEqual(c.serverKey, serverKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, iterations);
  }

  @Override
  public String toString() {
    return "ScramCredential[account=" + account + ", iterations=" + iterations + ", keys=<hidden>]";
  }
}
