package io.github.obrol.server.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Decoding of AUTH responses (AUTH-3, AUTH-8). Total: malformed input gives null, never an exception or a log. */
final class AuthFields {
  /** Longest field of a PLAIN message, in bytes (RFC 4616 section 2). */
  static final int MAX_PLAIN_FIELD = 255;

  private AuthFields() {}

  /** Strict, padded base64 (RFC 4648 section 4); {@code "="} is the empty response (AUTH-3). Null if malformed. */
  static byte[] base64(String response) {
    if (response.equals("=")) {
      return new byte[0];
    }
    if (response.length() % 4 != 0) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(response);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * RFC 4616: {@code [authzid] NUL authcid NUL passwd}, well-formed UTF-8 without other NULs, authcid and passwd
   * not empty, each field at most 255 bytes; null otherwise.
   */
  static String[] plainFields(byte[] message) {
    int first = indexOf(message, 0);
    int second = first < 0 ? -1 : indexOf(message, first + 1);
    if (second < 0 || indexOf(message, second + 1) >= 0) {
      return null;
    }
    int authcidLength = second - first - 1;
    int passwordLength = message.length - second - 1;
    if (first > MAX_PLAIN_FIELD || authcidLength < 1 || authcidLength > MAX_PLAIN_FIELD
        || passwordLength < 1 || passwordLength > MAX_PLAIN_FIELD) {
      return null;
    }
    String authzid = utf8(message, 0, first);
    String authcid = utf8(message, first + 1, authcidLength);
    String password = utf8(message, second + 1, passwordLength);
    return authzid == null || authcid == null || password == null ? null : new String[] {authzid, authcid, password};
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static String utf8(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The common name (CN) of a certificate's subject, or null if it has none (AUTH-8). */
  static String commonName(X509Certificate certificate) {
    try {
      LdapName dn = new LdapName(certificate.getSubjectX500Principal().getName());
      for (int i = dn.size() - 1; i >= 0; i--) {
        Rdn rdn = dn.getRdns().get(i);
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }

  /** An account is a token: not empty, no space or control character, at most 255 characters (AUTH-4). */
  static boolean isAccount(String account) {
    if (account.isEmpty() || account.length() > 255 || account.equals("+")) {
      return false;
    }
    for (int i = 0; i < account.length(); i++) {
      char c = account.charAt(i);
      if (c <= ' ' || c == 0x7f || (c >= 0x80 && c <= 0x9f) || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
