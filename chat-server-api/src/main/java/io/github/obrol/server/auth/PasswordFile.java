package io.github.obrol.server.auth;

import io.github.obrol.protocol.Names;
import io.github.obrol.server.AuthAttempt;
import io.github.obrol.server.CredentialVerifier;
import io.github.obrol.server.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code PLAIN} against a password file (AUTH-8): one account a line, {@code name:pbkdf2-sha256:<iterations>:<base64
 * salt>:<base64 hash>}; {@code #} starts a comment. Stores salted, slow hashes, never passwords, and compares them
 * in constant time (AUTH-13). The file is read again when it changes, so {@code obrol-server passwd} takes effect
 * without a restart.
 *
 * <p>Why PBKDF2-HMAC-SHA256 and not Argon2id: it is in every JDK (no dependency), FIPS-approved, and its cost is
 * time only. Argon2id resists GPU guessing better, but through Bouncy Castle it is pure Java and each check holds
 * tens of MiB: on a chat server, a burst of logins would cost memory that other users need. The default of
 * {@value #DEFAULT_ITERATIONS} iterations is OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; each entry keeps
 * its own count, so raising it later rehashes on the next {@code passwd}.
 */
public final class PasswordFile implements CredentialVerifier {
  /** Iterations of a new hash (OWASP, 2023). */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** Fewest iterations a hash may have; fewer is refused when the file is read. */
  public static final int MIN_ITERATIONS = 1_000;
  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Entry(String account, int iterations, byte[] salt, byte[] hash) {}

  private final Path file;
  private volatile Map<String, Entry> entries;
  private volatile FileTime loadedAt;
  private final byte[] decoySalt = new byte[SALT_BYTES];

  private PasswordFile(Path file) {
    this.file = file;
    RANDOM.nextBytes(decoySalt);
  }

  /**
   * The password file at {@code file}, read now.
   *
   * @throws UncheckedIOException if it cannot be read, or a line is malformed (the message gives the line number,
   *     never the line)
   */
  public static PasswordFile load(Path file) {
    PasswordFile f = new PasswordFile(file);
    f.reloadIfChanged(true);
    return f;
  }

  /** The file this reads. */
  public Path file() {
    return file;
  }

  /** The accounts in the file, in its order. */
  public List<String> accounts() {
    reloadIfChanged(false);
    List<String> out = new ArrayList<>();
    entries.values().forEach(e -> out.add(e.account()));
    return out;
  }

  @Override
  public Set<String> mechanisms() {
    return Set.of("PLAIN");
  }

  @Override
  public CompletionStage<Optional<String>> verify(AuthAttempt attempt) {
    if (!(attempt.credentials() instanceof Credentials.Password p)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(check(p.account(), p.password()));
  }

  /** The account if {@code password} is {@code account}'s (account compared ignoring case). */
  public Optional<String> check(String account, String password) {
    reloadIfChanged(false);
    Entry e = entries.get(account.toLowerCase(Locale.ROOT));
    char[] chars = password.toCharArray();
    try {
      if (e == null) {
        // Same work as for a real account, so that timing does not tell which accounts exist (AUTH-5).
        int iterations = entries.values().stream().mapToInt(Entry::iterations).max().orElse(DEFAULT_ITERATIONS);
        pbkdf2(chars, decoySalt, iterations);
        return Optional.empty();
      }
      byte[] actual = pbkdf2(chars, e.salt(), e.iterations());
      return MessageDigest.isEqual(actual, e.hash()) ? Optional.of(e.account()) : Optional.empty();
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private synchronized void reloadIfChanged(boolean mustLoad) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!mustLoad && modified.equals(loadedAt)) {
        return;
      }
      entries = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
      loadedAt = modified;
    } catch (IOException e) {
      if (mustLoad || entries == null) {
        throw new UncheckedIOException("cannot read the password file " + file + ": " + e.getMessage(), e);
      }
      // Keep the accounts read before: a file being replaced may be missing for a moment.
    }
  }

  private Map<String, Entry> parse(List<String> lines) throws IOException {
    Map<String, Entry> m = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Entry e = parseLine(line);
      if (e == null) {
        throw new IOException(file + " line " + (i + 1) + ": malformed (expected: name:" + SCHEME
            + ":<iterations>:<base64 salt>:<base64 hash>)");
      }
      m.put(e.account().toLowerCase(Locale.ROOT), e);
    }
    return m;
  }

  private static Entry parseLine(String line) {
    String[] f = line.split(":", -1);
    if (f.length != 5 || !Names.isValid(f[0]) || !f[1].equals(SCHEME)) {
      return null;
    }
    try {
      int iterations = Integer.parseInt(f[2]);
      byte[] salt = Base64.getDecoder().decode(f[3]);
      byte[] hash = Base64.getDecoder().decode(f[4]);
      if (iterations < MIN_ITERATIONS || salt.length < 8 || hash.length != HASH_BYTES) {
        return null;
      }
      return new Entry(f[0], iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The file line for {@code account} and {@code password}, with a fresh salt and {@code iterations}. */
  public static String entry(String account, char[] password, int iterations) {
    if (!Names.isValid(account)) {
      throw new IllegalArgumentException("account: " + Names.problem(account).orElse("invalid") + " (expected: a valid name, GEN-NAME-1)");
    }
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations: " + iterations + " (expected: >= " + MIN_ITERATIONS + ")");
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("password: empty (expected: at least one character)");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder();
    return account + ":" + SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":"
        + b64.encodeToString(pbkdf2(password, salt, iterations));
  }

  /**
   * Adds {@code account} to {@code file} or changes its password (created if missing, owner-only permissions where
   * the file system has them), replacing the file atomically. Whether the account was new.
   */
  public static boolean put(Path file, String account, char[] password, int iterations) throws IOException {
    String line = entry(account, password, iterations);
    List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
    boolean added = true;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int colon = l.indexOf(':');
      if (colon > 0 && !l.startsWith("#") && l.substring(0, colon).equalsIgnoreCase(account)) {
        lines.set(i, line);
        added = false;
      }
    }
    if (added) {
      lines.add(line);
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".passwords", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return added;
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public String toString() {
    return "PasswordFile[" + file + "]";
  }
}
