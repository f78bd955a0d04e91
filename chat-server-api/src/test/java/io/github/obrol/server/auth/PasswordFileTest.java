package io.github.obrol.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.testkit.Verifies;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password file's format and name policy, from literal file contents. The hash of "pencil" with the salt
 * "saltsalt" ({@code c2FsdHNhbHQ=}) and 1,000 iterations was computed outside this code, with Python's
 * {@code hashlib.pbkdf2_hmac('sha256', b'pencil', b'saltsalt', 1000)}.
 */
class PasswordFileTest {
  static final String PENCIL = "pbkdf2-sha256:1000:c2FsdHNhbHQ=:wVNdDJbDXytD3Ypu4dvQtX0COri6cW8h0XT6q2RUj3E=";

  private static PasswordFile file(Path dir, String... lines) throws Exception {
    Path f = dir.resolve("passwords.txt");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return PasswordFile.load(f);
  }

  @Test
  @DisplayName("a hash computed elsewhere checks, with and without a names= field")
  void readsEntries(@TempDir Path dir) throws Exception {
    PasswordFile pf = file(dir, "# accounts", "alice:" + PENCIL, "", "conformance:" + PENCIL + ":names=*");
    assertEquals(Optional.of("alice"), pf.check("Alice", "pencil"));
    assertEquals(Optional.of("conformance"), pf.check("conformance", "pencil"));
    assertEquals(Optional.empty(), pf.check("alice", "Pencil"));
    assertEquals(List.of("alice", "conformance"), pf.accounts());
  }

  @Test
  @Verifies({"AUTH-10"})
  @DisplayName("AUTH-10: names= globs (*, ?, comma lists) ignoring ASCII case; default: the account's own name")
  void namePolicy(@TempDir Path dir) throws Exception {
    PasswordFile pf = file(dir,
        "alice:" + PENCIL,
        "conformance:" + PENCIL + ":names=*",
        "bot:" + PENCIL + ":names=q*,ops-?,Exact.Name",
        "mid:" + PENCIL + ":names=a*b*c");
    assertTrue(pf.mayUseName("alice", "ALICE"));
    assertFalse(pf.mayUseName("alice", "bob"));
    assertFalse(pf.mayUseName("alice", "alice2"));
    assertTrue(pf.mayUseName("conformance", "q7k2a3-b"));
    assertTrue(pf.mayUseName("CONFORMANCE", "bob"));
    assertTrue(pf.mayUseName("bot", "bot"), "its own name stays allowed");
    assertTrue(pf.mayUseName("bot", "q"));
    assertTrue(pf.mayUseName("bot", "Q7k2a3-b"));
    assertTrue(pf.mayUseName("bot", "OPS-1"));
    assertFalse(pf.mayUseName("bot", "ops-12"));
    assertFalse(pf.mayUseName("bot", "ops-"));
    assertTrue(pf.mayUseName("bot", "exact.name"));
    assertFalse(pf.mayUseName("bot", "exact.names"));
    assertFalse(pf.mayUseName("bot", "aq"));
    assertTrue(pf.mayUseName("mid", "abc"));
    assertTrue(pf.mayUseName("mid", "aXXbYYbc"));
    assertFalse(pf.mayUseName("mid", "abcd"));
    assertFalse(pf.mayUseName("mallory", "bob"), "an account not in the file");
    assertTrue(pf.mayUseName("mallory", "Mallory"));
  }

  @Test
  @DisplayName("a malformed names= field is refused with its line number")
  void malformedNames(@TempDir Path dir) {
    for (String bad : List.of(":names=", ":names=a,,b", ":names=a b", ":names=x:y", ":other=*", ":names=*:names=*")) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> file(dir, "# c", "alice:" + PENCIL + bad));
      assertTrue(e.getMessage().contains("line 2: malformed"), e.getMessage());
      assertFalse(e.getMessage().contains(PENCIL), "the message never quotes the line");
    }
  }

  @Test
  @DisplayName("put writes names=, keeps it when changing only the password, and clears it with an empty policy")
  void putKeepsPolicy(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("passwords.txt");
    assertTrue(PasswordFile.put(f, "bot", "one".toCharArray(), 1_000, "q*,ops-?"));
    assertTrue(Files.readString(f).matches("bot:scram-sha-256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}:names=q\\*,ops-\\?\n"),
        Files.readString(f));
    assertFalse(PasswordFile.put(f, "Bot", "two".toCharArray(), 1_000));
    assertTrue(Files.readString(f).matches("Bot:scram-sha-256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}:names=q\\*,ops-\\?\n"),
        Files.readString(f));
    PasswordFile pf = PasswordFile.load(f);
    assertEquals(Optional.of("Bot"), pf.check("bot", "two"));
    assertTrue(pf.mayUseName("bot", "quux"));
    assertFalse(PasswordFile.put(f, "bot", "three".toCharArray(), 1_000, ""));
    assertTrue(Files.readString(f).matches("bot:scram-sha-256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}\n"), Files.readString(f));
    assertFalse(pf.mayUseName("bot", "quux"), "the file is read again when it changes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PasswordFile.put(f, "bot", "four".toCharArray(), 1_000, "a:b"));
    assertEquals("names: \"a:b\" (expected: comma-separated globs of letters, digits, '_', '-', '.', '*' and '?',"
        + " at most 1000 characters)", e.getMessage());
  }

  @Test
  @DisplayName("passwd rewrites a legacy pbkdf2-sha256 line as scram-sha-256, keeping its names= policy")
  void migratesLegacyLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("passwords.txt");
    Files.write(f, List.of("# kept", "bot:" + PENCIL + ":names=q*", "alice:" + PENCIL));
    PasswordFile pf = PasswordFile.load(f);
    assertEquals(Optional.of("bot"), pf.check("bot", "pencil"));
    assertFalse(PasswordFile.put(f, "bot", "new-one".toCharArray(), 1_000));
    List<String> lines = Files.readAllLines(f);
    assertEquals("# kept", lines.get(0));
    assertTrue(lines.get(1).matches("bot:scram-sha-256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}:names=q\\*"),
        lines.get(1));
    assertEquals("alice:" + PENCIL, lines.get(2));
    assertEquals(Optional.of("bot"), pf.check("bot", "new-one"));
    assertTrue(pf.mayUseName("bot", "quux"));
    assertEquals(Optional.of("alice"), pf.check("alice", "pencil"));
  }
}
