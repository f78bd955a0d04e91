package io.github.obrol.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The original Python 2.7 programs of the assignment ({@code chatserver.py}, {@code chatclient.py}) and the
 * Python 2 that runs them, for every module's tests. Tests that need them call an {@code assume...} method and
 * skip cleanly where they are absent.
 *
 * <p>The seed directory is the system property {@code obrol.seed.dir} (the parent POM sets it to
 * {@code ../shared/seed} beside the checkout), else {@code ../shared/seed} of the working directory's parent.
 * Python 2 is {@code $OBROL_PYTHON2}, else pyenv's 2.7.18 ({@code PYENV_VERSION=2.7.18 pyenv exec python2}), else
 * {@code python2} on the PATH, whichever first answers as a Python 2.
 */
public final class SeedPrograms {
  /** The pyenv version the seed programs run with; every process started for them gets it in its environment. */
  public static final String PYENV_VERSION = "2.7.18";
  private static volatile Optional<List<String>> python2;

  private SeedPrograms() {}

  /** The seed directory (it may not exist). */
  public static Path seedDir() {
    String prop = System.getProperty("obrol.seed.dir");
    return prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "..", "shared", "seed");
  }

  /** The original server script, if present. */
  public static Optional<Path> server() {
    return file("chatserver.py");
  }

  /** The original client script, if present. */
  public static Optional<Path> client() {
    return file("chatclient.py");
  }

  private static Optional<Path> file(String name) {
    Path p = seedDir().resolve(name).toAbsolutePath().normalize();
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The command that runs Python 2, if one works; found once per JVM. */
  public static Optional<List<String>> python2() {
    Optional<List<String>> found = python2;
    if (found == null) {
      found = findPython2();
      python2 = found;
    }
    return found;
  }

  /** Skips the calling test unless Python 2 and the original server are present; returns the server script. */
  public static Path assumeServer() {
    Optional<Path> server = server();
    Assumptions.assumeTrue(server.isPresent(), "no chatserver.py in " + seedDir().toAbsolutePath());
    assumePython2();
    return server.get();
  }

  /** Skips the calling test unless Python 2 and the original client are present; returns the client script. */
  public static Path assumeClient() {
    Optional<Path> client = client();
    Assumptions.assumeTrue(client.isPresent(), "no chatclient.py in " + seedDir().toAbsolutePath());
    assumePython2();
    return client.get();
  }

  /** Skips the calling test unless Python 2 is found; returns its command. */
  public static List<String> assumePython2() {
    Optional<List<String>> python = python2();
    Assumptions.assumeTrue(python.isPresent(), "no Python 2.7 found (OBROL_PYTHON2, pyenv " + PYENV_VERSION + " or python2)");
    return python.get();
  }

  /** A process builder for {@code command} with {@code PYENV_VERSION} set. */
  public static ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PYENV_VERSION", PYENV_VERSION);
    return pb;
  }

  private static Optional<List<String>> findPython2() {
    List<List<String>> candidates = new ArrayList<>();
    String env = System.getenv("OBROL_PYTHON2");
    if (env != null && !env.isBlank()) {
      candidates.add(List.of(env));
    }
    candidates.add(List.of("pyenv", "exec", "python2"));
    candidates.add(List.of("python2"));
    for (List<String> c : candidates) {
      List<String> argv = new ArrayList<>(c);
      argv.addAll(List.of("-c", "import sys; sys.exit(0 if sys.version_info[0] == 2 else 1)"));
      try {
        Process p = processBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          continue;
        }
        if (p.exitValue() == 0) {
          return Optional.of(c);
        }
      } catch (IOException e) {
        // not installed: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Whether tmux is installed. */
  public static boolean hasTmux() {
    return Files.isExecutable(Path.of("/usr/bin/tmux")) || Files.isExecutable(Path.of("/usr/local/bin/tmux"));
  }
}
