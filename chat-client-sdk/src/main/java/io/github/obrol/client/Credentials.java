package io.github.obrol.client;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link ChatClient} proves its identity with before it logs in ({@link
 * ChatClient.Builder#credentials(Credentials)}), in the modern dialect's {@code AUTH} exchange. The client
 * authenticates on every connection, reconnects included, and only over TLS unless the caller has said
 * otherwise ({@link ChatClient.Builder#allowCredentialsWithoutTls(boolean)}), because the secret would
 * otherwise cross the network readable.
 *
 * <p>Immutable. {@code toString()} never shows a secret.
 */
public sealed interface Credentials permits Credentials.Password, Credentials.Token, Credentials.Scram {

  /**
   * A password for {@code account}, sent with SASL {@code PLAIN} (RFC 4616) inside TLS. The characters are
   * copied; the caller may clear its array afterwards.
   *
   * @throws IllegalArgumentException if {@code account} is empty or either holds a NUL character
   */
  static Credentials password(String account, char[] password) {
    return new Password(account, password);
  }

  /**
   * A password for {@code account}, proved with SASL {@code SCRAM-SHA-256} (RFC 5802, RFC 7677; PROTOCOL.md
   * AUTH-14): the password never crosses the connection, and the server proves in turn that it holds the
   * account's key, so these credentials need no TLS (though without TLS nothing else is protected). The
   * characters are copied; the caller may clear its array afterwards. The password is used as its UTF-8 bytes
   * (no SASLprep normalisation).
   *
   * @throws IllegalArgumentException if {@code account} is empty or holds a NUL character
   */
  static Credentials scram(String account, char[] password) {
    return new Scram(account, password);
  }

  /**
   * A bearer token (a JWT whose {@code sub} names the account) from {@code source}, asked for anew before
   * every connection attempt, so an application can hand out a fresh token when the old one has expired.
   * The supplier runs on the client's reader thread; it may block briefly. If it throws or returns {@code
   * null} or an empty string, that attempt fails with an {@link AuthenticationException}.
   */
  static Credentials token(Supplier<String> source) {
    return new Token(source);
  }

  /** The SASL mechanism these credentials use: {@code "PLAIN"}, {@code "SCRAM-SHA-256"} or {@code "TOKEN"}. */
  String mechanism();

  /** A password for an account; see {@link Credentials#password(String, char[])}. */
  final class Password implements Credentials {
    private final String account;
    private final char[] password;

    private Password(String account, char[] password) {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(password, "password");
      if (account.isEmpty() || account.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("account: must be non-empty and hold no NUL character (RFC 4616)");
      }
      for (char c : password) {
        if (c == '\0') {
          throw new IllegalArgumentException("password: must hold no NUL character (RFC 4616)");
        }
      }
      this.account = account;
      this.password = password.clone();
    }

    /** The account name (the SASL authentication identity). */
    public String account() {
      return account;
    }

    /** A copy of the password; clear it after use. */
    public char[] password() {
      return password.clone();
    }

    @Override
    public String mechanism() {
      return "PLAIN";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Password && ((Password) o).account.equals(account)
          && Arrays.equals(((Password) o).password, password);
    }

    @Override
    public int hashCode() {
      return account.hashCode();
    }

    @Override
    public String toString() {
      return "Credentials.Password[account=" + account + ", password=(hidden)]";
    }
  }

  /** A password proved with SCRAM-SHA-256; see {@link Credentials#scram(String, char[])}. */
  final class Scram implements Credentials {
    private final String account;
    private final char[] password;

    private Scram(String account, char[] password) {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(password, "password");
      if (account.isEmpty() || account.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("account: must be non-empty and hold no NUL character (RFC 5802)");
      }
      this.account = account;
      this.password = password.clone();
    }

    /** The account name (the SCRAM user name). */
    public String account() {
      return account;
    }

    /** A copy of the password; clear it after use. */
    public char[] password() {
      return password.clone();
    }

    @Override
    public String mechanism() {
      return "SCRAM-SHA-256";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Scram && ((Scram) o).account.equals(account) && Arrays.equals(((Scram) o).password, password);
    }

    @Override
    public int hashCode() {
      return account.hashCode();
    }

    @Override
    public String toString() {
      return "Credentials.Scram[account=" + account + ", password=(hidden)]";
    }
  }

  /** A bearer token from a supplier; see {@link Credentials#token(Supplier)}. */
  final class Token implements Credentials {
    private final Supplier<String> source;

    private Token(Supplier<String> source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** Where the token comes from; called once per connection attempt. */
    public Supplier<String> source() {
      return source;
    }

    @Override
    public String mechanism() {
      return "TOKEN";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Token && ((Token) o).source.equals(source);
    }

    @Override
    public int hashCode() {
      return source.hashCode();
    }

    @Override
    public String toString() {
      return "Credentials.Token[(hidden)]";
    }
  }
}
