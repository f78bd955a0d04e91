package io.github.obrol.server.auth;

import io.github.obrol.protocol.Names;
import io.github.obrol.server.AuthAttempt;
import io.github.obrol.server.CredentialVerifier;
import io.github.obrol.server.Credentials;
import io.github.obrol.server.ScramCredential;
import io.github.obrol.server.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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

/**
 * {@code PLAIN} and {@code SCRAM-SHA-256} against a password file (AUTH-8): one account a line, {@code
 * name:scram-sha-256:<iterations>:<base64 salt>:<base64 StoredKey>:<base64 ServerKey>}, optionally followed by
 * {@code :names=<glob>[,<glob>...]}; {@code #} starts a comment. StoredKey and ServerKey are RFC 5802's, derived
 * from {@code SaltedPassword = PBKDF2-HMAC-SHA256(password, salt, iterations)}: {@code PLAIN} computes
 * SaltedPassword from the password it receives and compares the StoredKey it gives, SCRAM checks the client's proof
 * against StoredKey, so one entry serves both. Stores salted, slow hashes, never passwords, and compares them in
 * constant time (AUTH-13).
 *
 * <p>Lines of the first format, {@code name:pbkdf2-sha256:<iterations>:<base64 salt>:<base64 hash>[:names=...]},
 * are still read (the hash is SaltedPassword, from which both keys follow); {@code passwd} writes the new format.
 * Re-run it for such accounts: a stored SaltedPassword is enough to pass SCRAM without the password, StoredKey
 * is not. The file is read again when it changes, so {@code obrol-server passwd} takes effect
 * without a restart.
 *
 * <p>Why PBKDF2-HMAC-SHA256 and not Argon2id: it is in every JDK (no dependency), FIPS-approved, and its cost is
 * time only. Argon2id resists GPU guessing better, but through Bouncy Castle it is pure Java and each check holds
 * tens of MiB: on a chat server, a burst of logins would cost memory that other users need. The default of
 * {@value #DEFAULT_ITERATIONS} iterations is OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; each entry keeps
 * its own count, so raising it later rehashes on the next {@code passwd}.
 *
 * <p>The names an account may log in as (AUTH-10, "the names the server allows it"): its own name, ignoring ASCII
 * case, and, if the entry has a {@code names=} field, every name that matches one of its globs, ignoring ASCII
 * case. A glob is made of name characters (GEN-NAME-1), {@code *} (any run of characters, also none) and {@code ?}
 * (one character): {@code names=*} allows every name (the account a conformance suite logs its generated users in
 * with), {@code names=q*,ops-?} the names that start with {@code q} and the five-character names {@code ops-}
 * followed by one character. {@code obrol-server passwd FILE NAME --names GLOB} sets it.
 */
public final class PasswordFile implements CredentialVerifier {
  /** Iterations of a new hash (OWASP, 2023). */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** Fewest iterations a hash may have; fewer is refused when the file is read. */
  public static final int MIN_ITERATIONS = 1_000;
  private static final String LEGACY_SCHEME = "pbkdf2-sha256";
  private static final String SCHEME = "scram-sha-256";
  private static final Set<String> MECHANISMS = java.util.Collections.unmodifiableSet(
      new java.util.LinkedHashSet<>(List.of("PLAIN", "SCRAM-SHA-256")));
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final String NAMES_FIELD = "names=";
  /** Longest {@code names=} value: a policy is a handful of globs, not a list of every user. */
  private static final int MAX_NAMES_LENGTH = 1_000;

  private record Entry(String account, ScramCredential credential, List<String> nameGlobs) {
    int iterations() {
      return credential.iterations();
    }
  }

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

  /** {@code PLAIN} and {@code SCRAM-SHA-256}, in that order. */
  @Override
  public Set<String> mechanisms() {
    return MECHANISMS;
  }

  /**
   * The account's SCRAM-SHA-256 credential; for an account not in the file, a decoy whose salt stays the same for
   * that name (while this object lives) and whose iteration count is the file's highest, so that the challenge does
   * not tell which accounts exist (AUTH-5), and whose keys match no password.
   */
  @Override
  public Optional<ScramCredential> scramCredential(String account) {
    reloadIfChanged(false);
    Entry e = entries.get(account.toLowerCase(Locale.ROOT));
    if (e != null) {
      return Optional.of(e.credential());
    }
    int iterations = entries.values().stream().mapToInt(Entry::iterations).max().orElse(DEFAULT_ITERATIONS);
    byte[] salt = Arrays.copyOf(Sha256.hmac(decoySalt, account.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)),
        SALT_BYTES);
    byte[] storedKey = new byte[HASH_BYTES];
    byte[] serverKey = new byte[HASH_BYTES];
    RANDOM.nextBytes(storedKey);
    RANDOM.nextBytes(serverKey);
    return Optional.of(new ScramCredential("unknown", salt, iterations, storedKey, serverKey));
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
        Sha256.pbkdf2(chars, decoySalt, iterations);
        return Optional.empty();
      }
      byte[] salted = Sha256.pbkdf2(chars, e.credential().salt(), e.iterations());
      return e.credential().matchesSaltedPassword(salted) ? Optional.of(e.account()) : Optional.empty();
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /**
   * Whether {@code account} may log in as {@code name} (AUTH-10): the name equal to the account, ignoring ASCII
   * case, and the names that match the entry's {@code names=} globs, ignoring ASCII case. An account not (or no
   * longer) in the file may use only its own name.
   */
  @Override
  public boolean mayUseName(String account, String name) {
    if (account.equalsIgnoreCase(name)) {
      return true;
    }
    reloadIfChanged(false);
    Entry e = entries.get(account.toLowerCase(Locale.ROOT));
    if (e == null) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String glob : e.nameGlobs()) {
      if (globMatches(glob, lower)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code name} (lower case) matches {@code glob} (lower case): {@code *} any run, {@code ?} one character. */
  static boolean globMatches(String glob, String name) {
    // Iterative with one backtrack point: at most glob length x name length steps, never exponential on "*a*a*a*b".
    int g = 0;
    int n = 0;
    int starG = -1;
    int starN = 0;
    while (n < name.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
        g++;
        n++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        starG = g++;
        starN = n;
      } else if (starG >= 0) {
        g = starG + 1;
        n = ++starN;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  /**
   * The globs of a {@code names=} value, in lower case, or null if it is malformed: comma-separated, each not
   * empty, of name characters (GEN-NAME-1), {@code *} and {@code ?}; at most {@value #MAX_NAMES_LENGTH}
   * characters in all.
   */
  private static List<String> parseGlobs(String value) {
    if (value.isEmpty() || value.length() > MAX_NAMES_LENGTH) {
      return null;
    }
    List<String> globs = new ArrayList<>();
    for (String glob : value.split(",", -1)) {
      if (glob.isEmpty()) {
        return null;
      }
      for (int i = 0; i < glob.length(); i++) {
        char c = glob.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '_' || c == '-' || c == '.' || c == '*' || c == '?';
        if (!ok) {
          return null;
        }
      }
      globs.add(glob.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(globs);
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
            + ":<iterations>:<base64 salt>:<base64 StoredKey>:<base64 ServerKey>[:names=<glob>[,<glob>...]], or name:"
            + LEGACY_SCHEME + ":<iterations>:<base64 salt>:<base64 hash>[:names=...])");
      }
      m.put(e.account().toLowerCase(Locale.ROOT), e);
    }
    return m;
  }

  private static Entry parseLine(String line) {
    String[] f = line.split(":", -1);
    boolean legacy = f.length > 1 && f[1].equals(LEGACY_SCHEME);
    int fields = legacy ? 5 : 6;
    if ((f.length != fields && f.length != fields + 1) || !Names.isValid(f[0]) || !(legacy || f[1].equals(SCHEME))) {
      return null;
    }
    List<String> globs = List.of();
    if (f.length == fields + 1) {
      globs = f[fields].startsWith(NAMES_FIELD) ? parseGlobs(f[fields].substring(NAMES_FIELD.length())) : null;
      if (globs == null) {
        return null;
      }
    }
    try {
      int iterations = Integer.parseInt(f[2]);
      byte[] salt = Base64.getDecoder().decode(f[3]);
      byte[] key = Base64.getDecoder().decode(f[4]);
      byte[] serverKey = legacy ? new byte[HASH_BYTES] : Base64.getDecoder().decode(f[5]);
      if (iterations < MIN_ITERATIONS || salt.length < 8 || key.length != HASH_BYTES || serverKey.length != HASH_BYTES) {
        return null;
      }
      ScramCredential credential = legacy ? ScramCredential.fromSaltedPassword(f[0], salt, iterations, key)
          : new ScramCredential(f[0], salt, iterations, key, serverKey);
      return new Entry(f[0], credential, globs);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * What is wrong with {@code names} as a name policy (comma-separated globs, see the class comment; {@code ""}:
   * only the account's own name), or empty if it is valid. The text is meant for people.
   */
  public static Optional<String> namesProblem(String names) {
    if (names.isEmpty() || parseGlobs(names) != null) {
      return Optional.empty();
    }
    return Optional.of("names: \"" + (names.length() > 40 ? names.substring(0, 40) + "..." : names)
        + "\" (expected: comma-separated globs of letters, digits, '_', '-', '.', '*' and '?', at most "
        + MAX_NAMES_LENGTH + " characters)");
  }

  /** The file line for {@code account} and {@code password}, with a fresh salt and {@code iterations}. */
  public static String entry(String account, char[] password, int iterations) {
    return entry(account, password, iterations, "");
  }

  /**
   * The file line for {@code account} and {@code password}, with a fresh salt and {@code iterations}, and the
   * name policy {@code names} (comma-separated globs, see the class comment; {@code ""}: only its own name).
   */
  public static String entry(String account, char[] password, int iterations, String names) {
    namesProblem(names).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
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
    ScramCredential c = ScramCredential.fromSaltedPassword(account, salt, iterations, Sha256.pbkdf2(password, salt, iterations));
    return account + ":" + SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":"
        + b64.encodeToString(c.storedKey()) + ":" + b64.encodeToString(c.serverKey())
        + (names.isEmpty() ? "" : ":" + NAMES_FIELD + names);
  }

  /**
   * Adds {@code account} to {@code file} or changes its password (created if missing, owner-only permissions where
   * the file system has them), replacing the file atomically; an existing entry keeps its name policy. Whether the
   * account was new.
   */
  public static boolean put(Path file, String account, char[] password, int iterations) throws IOException {
    return put(file, account, password, iterations, null);
  }

  /**
   * Adds {@code account} to {@code file} or changes its password and name policy, like {@link #put(Path, String,
   * char[], int)}. {@code names}: comma-separated globs of the names the account may use besides its own (see the
   * class comment), {@code ""} for its own name only, or null to keep the existing entry's policy.
   *
   * @throws IllegalArgumentException if the account, the password or {@code names} is invalid
   */
  public static boolean put(Path file, String account, char[] password, int iterations, String names) throws IOException {
    List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
    String keep = "";
    for (String l : lines) {
      String[] f = l.strip().split(":", -1);
      if (!l.startsWith("#") && f.length >= 6 && f[0].equalsIgnoreCase(account) && f[f.length - 1].startsWith(NAMES_FIELD)) {
        keep = f[f.length - 1].substring(NAMES_FIELD.length());
      }
    }
    String line = entry(account, password, iterations, names == null ? keep : names);
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

  @Override
  public String toString() {
    return "PasswordFile[" + file + "]";
  }
}
