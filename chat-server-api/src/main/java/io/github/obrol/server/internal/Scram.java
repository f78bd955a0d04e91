package io.github.obrol.server.internal;

import io.github.obrol.server.ScramCredential;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: the messages only, no I/O.
 * Total: malformed input gives null, never an exception or a log line (AUTH-13).
 */
final class Scram {
  static final String MECHANISM = "SCRAM-SHA-256";
  /** Iterations of the decoy answered for an account no verifier knows (RFC 7677's minimum). */
  static final int DECOY_ITERATIONS = 4_096;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Per process: a decoy salt stays the same for one name while the server runs (AUTH-5). */
  private static final byte[] DECOY_KEY = new byte[32];

  static {
    RANDOM.nextBytes(DECOY_KEY);
  }

  private Scram() {}

  /** A parsed client-first-message: its GS2 header, its bare part, the user name and the client's nonce. */
  record ClientFirst(String gs2Header, String bare, String user, String clientNonce) {}

  /**
   * An exchange waiting for the client-final-message.
   *
   * @param credential the account's credential, or null for an account no verifier knows (fails at the end)
   */
  record Exchange(ClientFirst first, String serverFirst, String nonce, ScramCredential credential) {
    @Override
    public String toString() {
      return "Exchange[user=" + first.user() + "]";
    }
  }

  /**
   * RFC 5802 section 7: {@code gs2-header client-first-message-bare}. The GS2 header is {@code n,,} or {@code y,,}
   * (no channel binding: this server offers no {@code -PLUS} mechanism), optionally with an authzid equal to the
   * user ({@code n,a=alice,}); {@code p=} (channel binding) and the reserved {@code m=} extension are refused.
   */
  static ClientFirst parseClientFirst(byte[] message) {
    String s = utf8(message);
    if (s == null || !(s.startsWith("n,") || s.startsWith("y,"))) {
      return null;
    }
    int headerEnd = s.indexOf(',', 2);
    if (headerEnd < 0) {
      return null;
    }
    String authzid = s.substring(2, headerEnd);
    String gs2Header = s.substring(0, headerEnd + 1);
    String bare = s.substring(headerEnd + 1);
    String[] attrs = bare.split(",", -1);
    if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=")) {
      return null;
    }
    String user = saslName(attrs[0].substring(2));
    String nonce = attrs[1].substring(2);
    if (user == null || user.isEmpty() || !printable(nonce)) {
      return null;
    }
    for (int i = 2; i < attrs.length; i++) {
      if (!isExtension(attrs[i])) {
        return null;
      }
    }
    if (!authzid.isEmpty()) {
      String a = authzid.startsWith("a=") ? saslName(authzid.substring(2)) : null;
      if (a == null || !a.equalsIgnoreCase(user)) {
        return null;
      }
    }
    return new ClientFirst(gs2Header, bare, user, nonce);
  }

  /** A fresh server nonce: 18 random bytes in base64, 24 printable characters without a comma. */
  static String newNonce() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** The exchange after the server-first-message {@code r=<client nonce><server nonce>,s=<salt>,i=<iterations>}. */
  static Exchange start(ClientFirst first, String serverNonce, ScramCredential credential) {
    byte[] salt = credential != null ? credential.salt() : decoySalt(first.user());
    int iterations = credential != null ? credential.iterations() : DECOY_ITERATIONS;
    String nonce = first.clientNonce() + serverNonce;
    String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
    return new Exchange(first, serverFirst, nonce, credential);
  }

  /**
   * The server-final-message {@code v=<ServerSignature>} if {@code message}, the client-final-message {@code
   * c=<base64 gs2-header>,r=<nonce>,p=<ClientProof>}, proves the password (RFC 5802 section 3); null otherwise.
   */
  static String finish(Exchange x, byte[] message) {
    String s = utf8(message);
    if (s == null || x.credential() == null) {
      return null;
    }
    int p = s.lastIndexOf(",p=");
    if (p < 0) {
      return null;
    }
    String withoutProof = s.substring(0, p);
    byte[] proof = AuthFields.base64(s.substring(p + 3));
    String[] attrs = withoutProof.split(",", -1);
    if (proof == null || proof.length != 32 || attrs.length < 2 || !attrs[0].startsWith("c=")
        || !attrs[1].equals("r=" + x.nonce())) {
      return null;
    }
    byte[] binding = AuthFields.base64(attrs[0].substring(2));
    if (binding == null || !Arrays.equals(binding, x.first().gs2Header().getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    for (int i = 2; i < attrs.length; i++) {
      if (!isExtension(attrs[i])) {
        return null;
      }
    }
    byte[] authMessage = (x.first().bare() + "," + x.serverFirst() + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] storedKey = x.credential().storedKey();
    byte[] clientSignature = Sha256.hmac(storedKey, authMessage);
    byte[] clientKey = new byte[32];
    for (int i = 0; i < 32; i++) {
      clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
    }
    if (!MessageDigest.isEqual(Sha256.digest(clientKey), storedKey)) {
      return null;
    }
    return "v=" + Base64.getEncoder().encodeToString(Sha256.hmac(x.credential().serverKey(), authMessage));
  }

  /** A salt that stays the same for {@code user} (ignoring case) while this process runs. */
  static byte[] decoySalt(String user) {
    return Arrays.copyOf(Sha256.hmac(DECOY_KEY, user.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)), 16);
  }

  /** RFC 5802 {@code saslname}: {@code =2C} is a comma, {@code =3D} an equals sign, no other {@code =}. */
  private static String saslName(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=') {
        if (s.startsWith("=2C", i)) {
          out.append(',');
        } else if (s.startsWith("=3D", i)) {
          out.append('=');
        } else {
          return null;
        }
        i += 2;
      } else if (c == 0) {
        return null;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** An optional extension attribute {@code <letter>=<value>}, not the mandatory {@code m=} (RFC 5802 5.1). */
  private static boolean isExtension(String attr) {
    return attr.length() >= 2 && attr.charAt(1) == '=' && attr.charAt(0) != 'm'
        && ((attr.charAt(0) >= 'a' && attr.charAt(0) <= 'z') || (attr.charAt(0) >= 'A' && attr.charAt(0) <= 'Z'));
  }

  /** RFC 5802 {@code printable}: %x21-2B / %x2D-7E, at least one. */
  private static boolean printable(String nonce) {
    if (nonce.isEmpty()) {
      return false;
    }
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ',') {
        return false;
      }
    }
    return true;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
