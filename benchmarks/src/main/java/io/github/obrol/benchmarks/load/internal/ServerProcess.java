package io.github.obrol.benchmarks.load.internal;

import io.github.obrol.server.ChatServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the load generator started itself, on 127.0.0.1: the reference server in this JVM or in a child
 * JVM, the original Python server, or {@code redis-server}. For child processes it can read the resident
 * memory ({@code VmRSS} in {@code /proc/PID/status}) and, for a child JVM, the heap in use after a full
 * collection ({@code jcmd PID GC.run}, then {@code GC.heap_info}).
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("started on port (\\d+)");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final String label;
  private final InetSocketAddress address;
  private final Process process;
  private final ChatServer embedded;
  private final boolean isJvm;

  private ServerProcess(String label, InetSocketAddress address, Process process, ChatServer embedded, boolean java) {
    this.label = label;
    this.address = address;
    this.process = process;
    this.embedded = embedded;
    this.isJvm = java;
  }

  /** The reference server in this JVM, rate limit off, room for {@code maxConnections}. */
  public static ServerProcess embedded(int maxConnections) {
    ChatServer server = referenceBuilder(maxConnections).build();
    InetSocketAddress bound = server.start().join();
    return new ServerProcess("embedded", new InetSocketAddress("127.0.0.1", bound.getPort()), null, server, false);
  }

  /**
   * The settings of every reference server the generator starts: loopback, no command or per-address connection
   * rate limit (the fleet connects from one address, as to Redis, which has none), no timeouts.
   */
  public static ChatServer.Builder referenceBuilder(int maxConnections) {
    return ChatServer.builder()
        .bindAddress("127.0.0.1")
        .port(0)
        .rateLimit(0, 1)
        .connectionRateLimit(0, 1)
        .maxConnections(maxConnections)
        .idleTimeout(Duration.ZERO)
        .loginTimeout(Duration.ofMinutes(10));
  }

  /**
   * The reference server's command line ({@code io.github.obrol.server.cli.ServerMain}) in a child JVM with
   * this JVM's class path, so the load generator's own jar is all it needs. {@code prefix} goes before the
   * command (e.g. {@code taskset -c 0}), as for the other child servers.
   */
  public static ServerProcess reference(int maxConnections, List<String> jvmOptions, List<String> prefix, Duration timeout) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.github.obrol.server.cli.ServerMain");
    // Every simulated user connects from 127.0.0.1 (idle mode: 10,000 at once, logging in as they go), so the
    // per-address limits that protect a public server (connection rate, connections not yet logged in) are off.
    command.addAll(
        List.of("--bind", "127.0.0.1", "--port", "0", "--rate", "0", "--connection-rate", "0", "--max-anonymous-per-address", "0",
            "--max-connections", Integer.toString(maxConnections), "--idle-timeout", "0", "--login-timeout", "600"));
    command.addAll(BenchTls.serverArguments()); // obrol-bench --tls
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    pump(p, "reference", line -> {
      Matcher m = STARTED.matcher(line);
      if (m.find()) {
        port.complete(Integer.parseInt(m.group(1)));
      }
    });
    try {
      int bound = port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", bound);
      BenchTls.servesTls(address);
      return new ServerProcess("reference", address, p, null, true);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("the reference server did not start within " + timeout + ": " + e, e);
    }
  }

  /**
   * The original {@code chatserver.py} under Python 2.7: {@code python} is the command prefix (e.g. {@code
   * [pyenv, exec, python2]}), {@code script} the server's path. It binds every interface (it has no
   * option); it is only ever connected to through 127.0.0.1.
   */
  public static ServerProcess python(List<String> python, Path script, List<String> prefix, Duration timeout) throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(python);
    command.add(script.toString());
    command.add(Integer.toString(port));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (System.getenv("PYENV_VERSION") == null) {
      pb.environment().put("PYENV_VERSION", "2.7.18");
    }
    Process p = pb.start();
    pump(p, "python", line -> {});
    return started("python", p, port, timeout);
  }

  /** Debian's {@code redis-server}, without persistence, on a free loopback port. */
  public static ServerProcess redis(String executable, int maxClients, List<String> prefix, Duration timeout) throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(executable, "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
            "--maxclients", Integer.toString(maxClients), "--loglevel", "warning", "--daemonize", "no"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    pump(p, "redis", line -> {});
    return started("redis", p, port, timeout);
  }

  private static ServerProcess started(String label, Process p, int port, Duration timeout) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    long deadline = System.nanoTime() + timeout.toNanos();
    // Poll the port: these servers announce nothing machine-readable before they accept. Bounded in time.
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(label + " exited with " + p.exitValue() + " before it accepted connections");
      }
      try (Socket s = new Socket()) {
        s.connect(address, 1000);
        return new ServerProcess(label, address, p, null, false);
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IOException(label + " did not accept connections on " + address + " within " + timeout);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  /** Copies a child's output to stderr, prefixed, and hands each line to {@code watcher}. */
  private static void pump(Process p, String label, java.util.function.Consumer<String> watcher) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  watcher.accept(line);
                  if (!line.contains("terhubung")) { // the original logs every connection; too chatty
                    System.err.println("[" + label + "] " + line);
                  }
                }
              } catch (IOException ignored) {
                // the child is gone
              }
            },
            "obrol-bench-" + label + "-output");
    t.setDaemon(true);
    t.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The address to connect to. */
  public InetSocketAddress address() {
    return address;
  }

  /** The child's process id, if this is a child process. */
  public OptionalLong pid() {
    return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
  }

  /** Resident memory of the child process in bytes ({@code VmRSS}), if this is a child process. */
  public OptionalLong residentBytes() {
    if (process == null) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /**
   * Heap in use after a full collection, in bytes, for a child JVM: {@code jcmd PID GC.run}, then {@code
   * jcmd PID GC.heap_info}. Empty for other servers or where {@code jcmd} is missing.
   */
  public OptionalLong heapAfterGcBytes() {
    if (!isJvm || process == null) {
      return OptionalLong.empty();
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String exe = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    try {
      run(exe, Long.toString(process.pid()), "GC.run");
      run(exe, Long.toString(process.pid()), "GC.run");
      String info = run(exe, Long.toString(process.pid()), "GC.heap_info");
      Matcher m = HEAP_USED.matcher(info);
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /** Stops the server: gracefully for the reference server, by signal for child processes. */
  @Override
  public void close() {
    if (embedded != null) {
      embedded.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null).join();
    }
    if (process != null) {
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

  /**
   * Redis's own count of the memory it allocated ({@code used_memory} of {@code INFO memory}), for a Redis
   * server; empty otherwise.
   */
  public OptionalLong redisUsedMemory() {
    if (!label.equals("redis")) {
      return OptionalLong.empty();
    }
    try (Socket s = new Socket()) {
      s.connect(address, 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      String header = r.readLine(); // $<length>
      if (header == null || !header.startsWith("$")) {
        return OptionalLong.empty();
      }
      String line;
      while ((line = r.readLine()) != null && !line.isEmpty()) {
        if (line.startsWith("used_memory:")) {
          return OptionalLong.of(Long.parseLong(line.substring("used_memory:".length()).trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
