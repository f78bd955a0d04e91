package io.github.obrol.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the suite reaches a server that offers TLS and authentication (PROTOCOL.md section 8): whether its
 * connections use TLS, whom they trust, and the accounts its AUTH checks log in with. Immutable.
 *
 * <p>The suite's TLS is the JDK's, on raw sockets: it never uses the protocol module's codecs. With
 * {@link #insecure()} it accepts any certificate (for self-signed test servers); otherwise it verifies the
 * certificate against {@link #caFile()} (or the JVM's trust store) and the host name.
 */
public final class ConformanceSecurity {
  private static final ConformanceSecurity PLAIN = new ConformanceSecurity(false, null, false, List.of());

  private final boolean tls;
  private final Path caFile;
  private final boolean insecure;
  private final List<Account> accounts;

  private ConformanceSecurity(boolean tls, Path caFile, boolean insecure, List<Account> accounts) {
    this.tls = tls;
    this.caFile = caFile;
    this.insecure = insecure;
    this.accounts = List.copyOf(accounts);
  }

  /** Plain-text connections and no accounts: the default. */
  public static ConformanceSecurity plainText() {
    return PLAIN;
  }

  /**
   * TLS connections trusting the CA certificates in {@code caFile} (PEM), or the JVM's trust store if
   * {@code null}, with host name verification; or, if {@code insecure}, any certificate for any host.
   */
  public ConformanceSecurity withTls(Path caFile, boolean insecure) {
    return new ConformanceSecurity(true, caFile, insecure, accounts);
  }

  /** These settings with the accounts the AUTH checks log in with. */
  public ConformanceSecurity withAccounts(List<Account> accounts) {
    return new ConformanceSecurity(tls, caFile, insecure, Objects.requireNonNull(accounts, "accounts"));
  }

  /** Whether the suite's connections use TLS. */
  public boolean tls() {
    return tls;
  }

  /** The PEM file of trusted CA certificates, if given. */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /** Whether every certificate is accepted, whoever signed it and whatever host it names. */
  public boolean insecure() {
    return insecure;
  }

  /** The accounts for the AUTH checks, in file order; empty if none were given. */
  public List<Account> accounts() {
    return accounts;
  }

  /**
   * Reads an accounts file: one {@code name:password} per line (the password is everything after the first
   * colon); blank lines and lines starting with {@code #} are ignored.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException naming the line number (never the password) if a line has no colon or
   *     an empty name
   */
  public static List<Account> readAccounts(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the accounts file " + file + ": " + e.getMessage(), e);
    }
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("accounts file " + file + " line " + (i + 1)
            + ": expected name:password");
      }
      accounts.add(new Account(line.substring(0, colon), line.substring(colon + 1)));
    }
    return accounts;
  }

  @Override
  public String toString() {
    return tls ? "TLS (" + (insecure ? "any certificate" : caFile != null ? "trusting " + caFile : "JVM trust store")
        + ")" + (accounts.isEmpty() ? "" : ", " + accounts.size() + " accounts") : "plain text";
  }

  /**
   * A test account: its name and password. {@link #toString()} hides the password.
   *
   * @param name the account (SASL authentication identity), which is also the name it may log in as
   * @param password its password
   */
  public record Account(String name, String password) {
    /** Checks that neither is null and the name is not empty. */
    public Account {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("account name: empty");
      }
    }

    @Override
    public String toString() {
      return "Account[" + name + ", password=(hidden)]";
    }
  }
}
