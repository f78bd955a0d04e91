package io.github.obrol.conformance.seed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds Python 2.7 and the original programs for tests that run them; empty where absent (tests skip). */
final class Python2 {
  private Python2() {}

  /** The seed directory: system property {@code obrol.seed.dir}, else {@code ../shared/seed}. */
  static Path seedDir() {
    String prop = System.getProperty("obrol.seed.dir");
    return prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "..", "shared", "seed");
  }

  /** The command that runs Python 2 ({@code OBROL_PYTHON2}, else pyenv 2.7.18, else python2), if it works. */
  static Optional<List<String>> command() {
    List<List<String>> candidates = new ArrayList<>();
    String env = System.getenv("OBROL_PYTHON2");
    if (env != null && !env.isBlank()) {
      candidates.add(List.of(env));
    }
    candidates.add(List.of("pyenv", "exec", "python2"));
    candidates.add(List.of("python2"));
    for (List<String> c : candidates) {
      if (works(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static boolean works(List<String> command) {
    List<String> argv = new ArrayList<>(command);
    argv.add("-c");
    argv.add("import sys; sys.exit(0 if sys.version_info[0] == 2 else 1)");
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      pb.environment().put("PYENV_VERSION", "2.7.18");
      Process p = pb.start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The original server script, if present. */
  static Optional<Path> server() {
    Path p = seedDir().resolve("chatserver.py");
    return Files.isRegularFile(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
  }
}
