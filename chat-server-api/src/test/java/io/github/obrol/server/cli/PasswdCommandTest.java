package io.github.obrol.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.auth.PasswordFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code obrol-server passwd FILE NAME} without a terminal: it says so and reads standard input. */
class PasswdCommandTest {
  private static int run(Path file, String name, String stdin, ByteArrayOutputStream out, ByteArrayOutputStream err,
      String... more) {
    PasswdCommand cmd = new PasswdCommand();
    cmd.console = null;
    cmd.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    List<String> args = new java.util.ArrayList<>(List.of(file.toString(), name, "--iterations", "1000"));
    args.addAll(List.of(more));
    return new CommandLine(cmd).execute(args.toArray(String[]::new));
  }

  @Test
  @DisplayName("passwd adds an account, changes its password, stores no password, and refuses invalid names")
  void addsAndChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("passwords.txt");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, run(file, "alice", "first-Secret\n", out, err));
    assertEquals("obrol-server passwd: no terminal; reading the password from the first line of standard input\n",
        err.toString(StandardCharsets.UTF_8));
    assertEquals("Added account alice to " + file + "\n", out.toString(StandardCharsets.UTF_8));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String text = Files.readString(file);
    assertFalse(text.contains("first-Secret"));
    assertTrue(text.matches("alice:scram-sha-256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}\n"), text);
    PasswordFile pf = PasswordFile.load(file);
    assertEquals(Optional.of("alice"), pf.check("ALICE", "first-Secret"));
    assertEquals(Optional.empty(), pf.check("alice", "first-secret"));

    out.reset();
    assertEquals(0, run(file, "Alice", "second-Secret\n", out, err));
    assertEquals("Changed the password of Alice in " + file + "\n", out.toString(StandardCharsets.UTF_8));
    assertEquals(Optional.of("Alice"), pf.check("alice", "second-Secret"), "the file is read again when it changes");
    assertEquals(Optional.empty(), pf.check("alice", "first-Secret"));
    assertEquals(List.of("Alice"), pf.accounts());

    err.reset();
    assertEquals(ServerMain.EXIT_USAGE, run(file, "no spaces", "x\n", out, err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("obrol-server passwd: account: name: \"no spaces\""), err.toString());
    err.reset();
    assertEquals(ServerMain.EXIT_USAGE, run(file, "bob", "", out, err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("empty password; nothing changed"));
  }

  @Test
  @DisplayName("passwd --names sets the account's name policy (AUTH-10); a bad glob changes nothing")
  void names(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("passwords.txt");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, run(file, "conformance", "pw-1\n", out, err, "--names", "*"));
    assertEquals("Added account conformance to " + file + "\nconformance may log in as conformance and as the names"
        + " matching *\n", out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(file).matches("conformance:scram-sha-256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}:names=\\*\n"),
        Files.readString(file));
    PasswordFile pf = PasswordFile.load(file);
    assertTrue(pf.mayUseName("conformance", "q7k2a3-b"));

    String before = Files.readString(file);
    err.reset();
    assertEquals(ServerMain.EXIT_USAGE, run(file, "conformance", "pw-2\n", out, err, "--names", "q* r*"));
    assertEquals("obrol-server passwd: names: \"q* r*\" (expected: comma-separated globs of letters, digits, '_', '-',"
        + " '.', '*' and '?', at most 1000 characters); nothing changed\n", err.toString(StandardCharsets.UTF_8));
    assertEquals(before, Files.readString(file));

    out.reset();
    assertEquals(0, run(file, "conformance", "pw-3\n", out, err, "--names="));
    assertEquals("Changed the password of conformance in " + file + "\nconformance may log in as conformance only\n",
        out.toString(StandardCharsets.UTF_8));
    assertFalse(pf.mayUseName("conformance", "q7k2a3-b"));
  }
}
