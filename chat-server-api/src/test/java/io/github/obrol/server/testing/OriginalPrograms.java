package io.github.obrol.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The original Python 2.7 programs and a private tmux server to run them in; tests skip (assumptions)
 * where Python 2, tmux or the seed files are absent.
 */
public final class OriginalPrograms {
  private OriginalPrograms() {}

  /** The seed directory: system property {@code obrol.seed.dir}, else {@code ../shared/seed}. */
  public static Path seedDir() {
    String prop = System.getProperty("obrol.seed.dir");
    return prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "..", "shared", "seed");
  }

  /** The original client, if present. */
  public static Optional<Path> client() {
    Path p = seedDir().resolve("chatclient.py").toAbsolutePath().normalize();
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The command that runs Python 2: {@code OBROL_PYTHON2}, else pyenv 2.7.18, else python2; if it works. */
  public static Optional<List<String>> python2() {
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
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("PYENV_VERSION", "2.7.18");
        Process p = pb.start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          continue;
        }
        if (p.exitValue() == 0) {
          return Optional.of(c);
        }
      } catch (IOException e) {
        // try the next
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

  /** A program in a pane of a private tmux server (its own socket); close it to kill that server. */
  public static final class Tmux implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private final String socket;

    private Tmux(String socket) {
      this.socket = socket;
    }

    /** Runs {@code command} (with PYENV_VERSION=2.7.18) in a new 160x40 pane. */
    public static Tmux start(Path dir, List<String> command) throws IOException, InterruptedException {
      Tmux tmux = new Tmux("obrol-server-test-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet());
      Path script = dir.resolve("run-" + tmux.socket + ".sh");
      StringBuilder line = new StringBuilder();
      for (String part : command) {
        line.append('\'').append(part.replace("'", "'\\''")).append("' ");
      }
      Files.writeString(script, "#!/bin/sh\nexport PYENV_VERSION=2.7.18\n" + line + "\necho EXITED=$?\nsleep 120\n");
      script.toFile().setExecutable(true);
      tmux.run("new-session", "-d", "-x", "160", "-y", "40", script.toString());
      return tmux;
    }

    /** Types keys (tmux key names such as {@code Enter} are keys). */
    public void keys(String... keys) throws IOException, InterruptedException {
      List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
      args.addAll(List.of(keys));
      run(args.toArray(new String[0]));
    }

    /** The visible pane text. */
    public String pane() throws IOException, InterruptedException {
      return run("capture-pane", "-p", "-t", "0");
    }

    /** Waits at most {@code timeout} until the pane satisfies {@code condition}. */
    public void await(Predicate<String> condition, Duration timeout) {
      String[] last = {""};
      try {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
          last[0] = pane();
          return condition.test(last[0]);
        });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("tmux pane not as expected within " + timeout + "; last seen:\n" + last[0], e);
      }
    }

    private String run(String... args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      try {
        run("kill-server");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
