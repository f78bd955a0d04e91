package io.github.obrol.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677; PROTOCOL.md AUTH-14) without channel binding: the
 * messages only, no I/O. One instance per exchange; it keeps the password until {@link #clear()}.
 */
final class ScramClient {
  /** Most iterations a server may ask for: more would let a hostile server burn this client's CPU. */
  static final int MAX_ITERATIONS = 10_000_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final char[] password;
  private final String clientNonce;
  private final String clientFirstBare;
  private byte[] expectedServerSignature;

  ScramClient(String account, char[] password) {
    this(account, password, newNonce());
  }

  /** With a given nonce, for tests against RFC 7677's example. */
  ScramClient(String account, char[] password, String clientNonce) {
    this.password = password.clone();
    this.clientNonce = clientNonce;
    this.clientFirstBare = "n=" + account.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
  }

  private static String newNonce() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** The initial response: base64 of {@code n,,n=<account>,r=<nonce>}. */
  String clientFirst() {
    return b64("n,," + clientFirstBare);
  }

  /**
   * The response to the challenge {@code serverFirstB64} (base64 of {@code r=<nonce>,s=<salt>,i=<iterations>}):
   * base64 of {@code c=biws,r=<nonce>,p=<proof>}; null if the challenge is malformed, does not extend this
   * client's nonce, or asks for fewer than 1 or more than {@link #MAX_ITERATIONS} iterations.
   */
  String clientFinal(String serverFirstB64) {
    String serverFirst;
    try {
      serverFirst = new String(Base64.getDecoder().decode(serverFirstB64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String[] f = serverFirst.split(",", -1);
    if (f.length < 3 || !f[0].startsWith("r=" + clientNonce) || f[0].length() == 2 + clientNonce.length()
        || !f[1].startsWith("s=") || !f[2].startsWith("i=")) {
      return null;
    }
    byte[] salt;
    int iterations;
    try {
      salt = Base64.getDecoder().decode(f[1].substring(2));
      iterations = Integer.parseInt(f[2].substring(2));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (salt.length == 0 || iterations < 1 || iterations > MAX_ITERATIONS) {
      return null;
    }
    byte[] salted = pbkdf2(salt, iterations);
    try {
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = sha256(clientKey);
      String withoutProof = "c=" + b64("n,,") + "," + f[0];
      String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] signature = hmac(storedKey, authMessage);
      byte[] proof = new byte[clientKey.length];
      for (int i = 0; i < proof.length; i++) {
        proof[i] = (byte) (clientKey[i] ^ signature[i]);
      }
      expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
      return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    } finally {
      Arrays.fill(salted, (byte) 0);
    }
  }

  /**
   * Whether {@code serverFinalB64} (base64 of {@code v=<ServerSignature>}) proves that the server holds this
   * account's key (compared in constant time); false before {@link #clientFinal}.
   */
  boolean serverProved(String serverFinalB64) {
    if (expectedServerSignature == null) {
      return false;
    }
    try {
      String serverFinal = new String(Base64.getDecoder().decode(serverFinalB64), StandardCharsets.UTF_8);
      return serverFinal.startsWith("v=")
          && MessageDigest.isEqual(Base64.getDecoder().decode(serverFinal.substring(2)), expectedServerSignature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Forgets the password. */
  void clear() {
    Arrays.fill(password, '\0');
  }

  private byte[] pbkdf2(byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
