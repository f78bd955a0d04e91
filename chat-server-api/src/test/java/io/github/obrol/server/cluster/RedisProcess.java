package io.github.obrol.server.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Debian {@code redis-server} of a test's own, on a free loopback port: started, paused (SIGSTOP), resumed,
 * killed and started again on the same port and directory. Skips the calling test where redis-server is absent.
 */
final class RedisProcess implements AutoCloseable {
  static final String BINARY = "/usr/bin/redis-server";
  private final int port;
  private final Path dir;
  private final List<String> extra;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extra) {
    this.port = port;
    this.dir = dir;
    this.extra = extra;
  }

  /** Skips the test (JUnit assumption) where {@code redis-server} is not installed. */
  static void assumeInstalled() {
    assumeTrue(new File(BINARY).canExecute(),
        "redis-server is not installed (apt-get install -y redis-server): the cluster tests need a real Redis");
  }

  /** A Redis without persistence. */
  static RedisProcess start() throws IOException {
    return start(false);
  }

  /** A Redis that writes every command to its append-only file before answering it ({@code appendfsync always}), or none. */
  static RedisProcess start(boolean persistent) throws IOException {
    assumeInstalled();
    Path dir = Files.createTempDirectory("obrol-redis");
    List<String> extra = persistent
        ? List.of("--appendonly", "yes", "--appendfsync", "always", "--save", "")
        : List.of("--appendonly", "no", "--save", "");
    RedisProcess r = new RedisProcess(freePort(), dir, extra);
    r.launch();
    return r;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--protected-mode", "no"));
    cmd.addAll(extra);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> command("PING").equals("+PONG"));
  }

  /** SIGSTOP: Redis keeps its sockets open and answers nothing until {@link #resume()}. */
  void pause() throws Exception {
    signal("STOP");
  }

  void resume() throws Exception {
    signal("CONT");
  }

  /** SIGKILL, waiting for the process to end. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private void signal(String name) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  /** Sends one inline command and returns the first line of the answer (CR removed), e.g. {@code +PONG}. */
  String command(String inline) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      signal("CONT"); // a paused Redis does not die of SIGTERM
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
