package io.github.obrol.conformance.cluster;

import io.github.obrol.conformance.launch.PortProbe;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} (Debian package) of a test's own, on a free loopback port, without persistence ({@code
 * --save '' --appendonly no}); ready once it answers {@code PING} with {@code +PONG}. Closing stops it.
 */
final class RedisProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Whether {@code redis-server} is on the {@code PATH}. */
  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
        return true;
      }
    }
    return false;
  }

  /** Starts one and waits (at most {@code timeout}) until it answers PING. */
  static RedisProcess start(Duration timeout) throws IOException {
    int port = PortProbe.freePort();
    Process p = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--save", "", "--appendonly", "no", "--loglevel", "warning", "--daemonize", "no"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    RedisProcess redis = new RedisProcess(p, port);
    long deadline = System.nanoTime() + timeout.toNanos();
    // Polled: redis-server announces nothing machine-readable before it accepts. Bounded by the deadline.
    while (!redis.answersPing()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        redis.close();
        throw new IOException("redis-server on port " + port + (p.isAlive() ? " did not answer PING within " + timeout
            : " exited with " + p.exitValue()));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        redis.close();
        throw new IOException("interrupted", e);
      }
    }
    return redis;
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(1000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code redis://127.0.0.1:PORT}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
