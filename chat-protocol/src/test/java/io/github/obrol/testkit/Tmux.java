package io.github.obrol.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A program in a pane of a private tmux server (its own socket), driven with send-keys and read with
 * capture-pane; every wait is bounded. Close it to kill the tmux server. The one tmux driver of the project: the
 * terminal client's tests and the tests that run the original Python client use it.
 */
public final class Tmux implements AutoCloseable {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private final String socket;

  private Tmux(String socket) {
    this.socket = socket;
  }

  /** Skips the calling test unless tmux is installed. */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(SeedPrograms.hasTmux(), "tmux is not installed");
  }

  /** The command line that runs obrol-chat from the test class path. */
  public static List<String> obrolChat(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.github.obrol.client.terminal.ObrolChat");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Runs {@code command} in a new 160x40 pane. The wrapper shell traps SIGINT, as an interactive shell
   * would, so that Ctrl-C reaches only the program; it then prints {@code EXITED=<code>} and stays. The program
   * runs with {@code PYENV_VERSION} set, for the original Python programs.
   */
  public static Tmux start(Path dir, List<String> command) throws IOException, InterruptedException {
    Tmux tmux = new Tmux("obrol-test-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet());
    Path script = dir.resolve("run-" + tmux.socket + ".sh");
    StringBuilder line = new StringBuilder();
    for (String part : command) {
      line.append('\'').append(part.replace("'", "'\\''")).append("' ");
    }
    Files.writeString(script, "#!/bin/sh\ntrap ':' INT\nexport PYENV_VERSION=" + SeedPrograms.PYENV_VERSION + "\n" + line + "\necho EXITED=$?\nsleep 120\n");
    script.toFile().setExecutable(true);
    tmux.run("new-session", "-d", "-x", "160", "-y", "40", script.toString());
    return tmux;
  }

  /** Types keys (tmux key names such as {@code Enter}, {@code C-d} are keys). */
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
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
        last[0] = pane();
        return condition.test(last[0]);
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("tmux pane not as expected within " + timeout + "; last seen:\n" + last[0], e);
    }
  }

  /** The last non-empty line of a pane text, trimmed. */
  public static String lastLine(String pane) {
    String[] lines = pane.strip().split("\n");
    return lines[lines.length - 1].strip();
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
