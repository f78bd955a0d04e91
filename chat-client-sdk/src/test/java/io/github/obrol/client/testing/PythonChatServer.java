package io.github.obrol.client.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import io.github.obrol.testkit.SeedPrograms;
import org.junit.jupiter.api.Assumptions;

/**
 * The original {@code chatserver.py} (classic only) as a child process on a loopback port. Tests call
 * {@link #assumeAvailable()} so they skip cleanly where Python 2 or the seed files are absent. The server
 * is ready when it prints its start line, which it does after {@code listen()}; waiting for that line is
 * bounded.
 */
public final class PythonChatServer implements AutoCloseable {
  private static final String READY = "Chat server mulai pada port";

  private final int port;
  private Process process;

  private PythonChatServer(int port) {
    this.port = port;
  }

  /** The seed directory (see {@link SeedPrograms#seedDir()} of the shared test kit). */
  public static Path seedDir() {
    return SeedPrograms.seedDir();
  }

  /** The command that runs Python 2, if one works here (see {@link SeedPrograms#python2()}). */
  public static Optional<List<String>> python2() {
    return SeedPrograms.python2();
  }

  private static Optional<List<String>> cachedPython2() {
    return SeedPrograms.python2();
  }

  /** Skips the calling test unless Python 2 and {@code chatserver.py} are here. */
  public static void assumeAvailable() {
    Path script = seedDir().resolve("chatserver.py");
    Assumptions.assumeTrue(Files.isRegularFile(script), "the original chatserver.py is absent: " + script);
    Assumptions.assumeTrue(cachedPython2().isPresent(),
        "Python 2 not found (set OBROL_PYTHON2, or install pyenv's 2.7.18 or python2)");
  }

  /** A server on a free loopback port, started and ready. */
  public static PythonChatServer start() throws IOException, InterruptedException {
    PythonChatServer server = new PythonChatServer(freePort());
    server.startProcess();
    return server;
  }

  public int port() {
    return port;
  }

  /** Kills the server and starts a new one on the same port (all names free again). */
  public void restart() throws IOException, InterruptedException {
    stop();
    startProcess();
  }

  /** Stops the server process; a client sees its connection end. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  private void startProcess() throws IOException, InterruptedException {
    assumeAvailable();
    List<String> cmd = new ArrayList<>(cachedPython2().orElseThrow());
    cmd.add("-u");
    cmd.add(seedDir().resolve("chatserver.py").toString());
    cmd.add(Integer.toString(port));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putIfAbsent("PYENV_VERSION", "2.7.18");
    process = pb.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The process ended.
      }
      lines.add("<eof>");
    }, "chatserver.py-output-" + port);
    pump.setDaemon(true);
    pump.start();
    // Bounded wait for the start line; a restart may need a moment until the port is free again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(READY)) {
        return;
      }
      if ("<eof>".equals(line)) {
        throw new IOException("chatserver.py on port " + port + " exited before it was ready");
      }
    }
    stop();
    throw new IOException("chatserver.py on port " + port + " did not start within 20 s");
  }

  /** A port that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
