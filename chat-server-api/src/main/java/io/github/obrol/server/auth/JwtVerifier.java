package io.github.obrol.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.obrol.server.AuthAttempt;
import io.github.obrol.server.CredentialVerifier;
import io.github.obrol.server.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code TOKEN} (AUTH-8): a JWT in compact form, signed with HS256 (a shared secret of at least 32 bytes), RS256
 * (an RSA public key) or ES256 (a P-256 public key). The signature must verify with the configured key and the
 * header's algorithm must be the one that key is for (no {@code none}, no algorithm confusion); {@code exp} is
 * required and in the future, {@code nbf}, if present, in the past, both with {@value #SKEW_SECONDS} seconds of
 * clock skew allowed; {@code sub} is the account. Signature and claims are checked by nimbus-jose-jwt, a
 * well-kept JOSE library, rather than by code of our own.
 */
public final class JwtVerifier implements CredentialVerifier {
  /** Clock skew allowed on {@code exp} and {@code nbf}, in seconds (AUTH-8). */
  public static final int SKEW_SECONDS = 30;
  /** Longest token looked at, in characters. */
  static final int MAX_TOKEN_LENGTH = 8192;

  private final JWSAlgorithm algorithm;
  private final JWSVerifier verifier;
  private final Clock clock;

  private JwtVerifier(JWSAlgorithm algorithm, JWSVerifier verifier, Clock clock) {
    this.algorithm = algorithm;
    this.verifier = verifier;
    this.clock = clock;
  }

  /** HS256 with a shared secret of at least 32 bytes. */
  public static JwtVerifier hmac(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 32) {
      throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: at least 32 for HS256)");
    }
    try {
      return new JwtVerifier(JWSAlgorithm.HS256, new MACVerifier(secret.clone()), Clock.systemUTC());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("secret: unusable for HS256 (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** RS256 with an RSA public key, or ES256 with a P-256 public key. */
  public static JwtVerifier publicKey(PublicKey key) {
    Objects.requireNonNull(key, "key");
    try {
      if (key instanceof RSAPublicKey rsa) {
        return new JwtVerifier(JWSAlgorithm.RS256, new RSASSAVerifier(rsa), Clock.systemUTC());
      }
      if (key instanceof ECPublicKey ec) {
        return new JwtVerifier(JWSAlgorithm.ES256, new ECDSAVerifier(ec), Clock.systemUTC());
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key: unusable (" + e.getMessage() + ")");
    }
    throw new IllegalArgumentException("key: " + key.getAlgorithm() + " (expected: RSA or EC P-256)");
  }

  /**
   * The verifier for a key file: a PEM public key ({@code -----BEGIN PUBLIC KEY-----}, RSA or EC P-256) for RS256
   * or ES256; any other content is an HS256 secret (its bytes, surrounding white space removed; at least 32).
   *
   * @throws IOException if the file cannot be read or holds no usable key (the message never quotes it)
   */
  public static JwtVerifier fromKeyFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    try {
      if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String kind : new String[] {"RSA", "EC"}) {
          try {
            return publicKey(KeyFactory.getInstance(kind).generatePublic(spec));
          } catch (GeneralSecurityException e) {
            // try the next kind
          }
        }
        throw new IOException(file + ": not an RSA or EC public key");
      }
      return hmac(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /** This verifier with another clock, for tests. */
  public JwtVerifier withClock(Clock clock) {
    return new JwtVerifier(algorithm, verifier, Objects.requireNonNull(clock, "clock"));
  }

  /** The one algorithm this verifier accepts. */
  public String algorithm() {
    return algorithm.getName();
  }

  @Override
  public Set<String> mechanisms() {
    return Set.of("TOKEN");
  }

  @Override
  public CompletionStage<Optional<String>> verify(AuthAttempt attempt) {
    if (!(attempt.credentials() instanceof Credentials.Token t)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(check(t.token()));
  }

  /** The token's {@code sub} if it is valid now (AUTH-8); empty otherwise. Never throws, never logs the token. */
  public Optional<String> check(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Instant now = clock.instant();
      Duration skew = Duration.ofSeconds(SKEW_SECONDS);
      Date exp = claims.getExpirationTime();
      Date nbf = claims.getNotBeforeTime();
      if (exp == null || !now.isBefore(exp.toInstant().plus(skew))) {
        return Optional.empty();
      }
      if (nbf != null && now.isBefore(nbf.toInstant().minus(skew))) {
        return Optional.empty();
      }
      String sub = claims.getSubject();
      return sub == null || sub.isEmpty() ? Optional.empty() : Optional.of(sub);
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "JwtVerifier[" + algorithm.getName() + "]";
  }
}
