package io.github.obrol.server.cli;

import io.github.obrol.server.auth.PasswordFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code obrol-server passwd FILE NAME [--names GLOB]}: adds an account to a password file, or changes its password
 * (and, with {@code --names}, the other names it may log in as), reading the password without echo from the
 * terminal (twice). Without a terminal it says so and reads the first line of
 * standard input, for scripts.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true,
    description = {"Adds an account to a password file (for --passwords), or changes its password.",
        "Reads the password without echo on a terminal; otherwise the first line of standard input."})
final class PasswdCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The password file (created if missing, owner-only permissions).")
  Path file;

  @Parameters(index = "1", paramLabel = "NAME", description = "The account: a valid chat name; it may log in with that name.")
  String name;

  @Option(names = "--names", paramLabel = "GLOB",
      description = {"Other names the account may log in as (AUTH-10): comma-separated globs, '*' any run of"
          + " characters, '?' one, case ignored; e.g. '*' (every name, for a conformance account) or 'q*,ops-?'.",
          "'' allows only its own name. Default: keep the entry's current policy (a new entry: its own name only)."})
  String names;

  @Option(names = "--iterations", description = "PBKDF2-HMAC-SHA256 iterations (default: ${DEFAULT-VALUE}).")
  int iterations = PasswordFile.DEFAULT_ITERATIONS;

  /** Where messages go; fields so tests can replace them. */
  PrintStream out = System.out;
  PrintStream err = System.err;
  InputStream in = System.in;
  Console console = System.console();

  @Override
  public Integer call() {
    char[] password = null;
    if (names != null && PasswordFile.namesProblem(names).isPresent()) {
      err.println("obrol-server passwd: " + PasswordFile.namesProblem(names).get() + "; nothing changed");
      return ServerMain.EXIT_USAGE;
    }
    try {
      if (console != null) {
        password = console.readPassword("Password for %s: ", name);
        char[] again = console.readPassword("Repeat the password: ");
        boolean same = password != null && again != null && Arrays.equals(password, again);
        if (again != null) {
          Arrays.fill(again, '\0');
        }
        if (!same) {
          err.println("obrol-server passwd: the passwords differ; nothing changed");
          return ServerMain.EXIT_USAGE;
        }
      } else {
        err.println("obrol-server passwd: no terminal; reading the password from the first line of standard input");
        String line = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset())).readLine();
        password = line == null ? new char[0] : line.toCharArray();
      }
      if (password == null || password.length == 0) {
        err.println("obrol-server passwd: empty password; nothing changed");
        return ServerMain.EXIT_USAGE;
      }
      boolean added = PasswordFile.put(file, name, password, iterations, names);
      out.println(added ? "Added account " + name + " to " + file : "Changed the password of " + name + " in " + file);
      if (names != null) {
        out.println(names.isEmpty() ? name + " may log in as " + name + " only"
            : name + " may log in as " + name + " and as the names matching " + names);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("obrol-server passwd: " + e.getMessage());
      return ServerMain.EXIT_USAGE;
    } catch (IOException e) {
      err.println("obrol-server passwd: cannot write " + file + ": " + e.getMessage());
      return ServerMain.EXIT_RUNTIME_FAILURE;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }
}
