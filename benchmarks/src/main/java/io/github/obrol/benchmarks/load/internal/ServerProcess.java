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
  /** A cluster's nodes, in order (empty for a single server). */
  private final List<ServerProcess> nodes;
  /** A cluster's Redis (null for a single server). */
  private final ServerProcess redis;

  private ServerProcess(String label, InetSocketAddress address, Process process, ChatServer embedded, boolean java) {
    this.label = label;
    this.address = address;
    this.process = process;
    this.embedded = embedded;
    this.isJvm = java;
    this.nodes = List.of();
    this.redis = null;
  }

  private ServerProcess(List<ServerProcess> nodes, ServerProcess redis) {
    this.label = "cluster";
    this.address = nodes.get(0).address();
    this.process = null;
    this.embedded = null;
    this.isJvm = false;
    this.nodes = List.copyOf(nodes);
    this.redis = redis;
  }

  /**
   * A cluster on 127.0.0.1: its own {@code redis-server} (no persistence) and {@code count} reference-server nodes
   * clustered on it ({@code --cluster redis://127.0.0.1:P --node-id nI}), each in a child JVM, or in this JVM if
   * {@code inThisJvm}; each node has room for {@code maxConnections}. Stops what it started if a part fails.
   */
  public static ServerProcess cluster(int count, boolean inThisJvm, int maxConnections, List<String> jvmOptions, List<String> prefix,
      String redisExecutable, Duration timeout) throws IOException {
    ServerProcess redis = redis(redisExecutable, Math.max(10_000, 100 + 10 * count), prefix, timeout);
    List<ServerProcess> started = new ArrayList<>();
    try {
      String uri = "redis://127.0.0.1:" + redis.address().getPort();
      for (int i = 1; i <= count; i++) {
        String nodeId = "n" + i;
        started.add(inThisJvm
            ? embeddedNode(maxConnections, uri, nodeId)
            : reference(maxConnections, System.getProperty("java.class.path"), jvmOptions, prefix, timeout,
                List.of("--cluster", uri, "--node-id", nodeId)));
      }
      return new ServerProcess(started, redis);
    } catch (IOException | RuntimeException e) {
      started.forEach(ServerProcess::close);
      redis.close();
      throw e;
    }
  }

  /** A clustered reference server in this JVM, as {@link #embedded} otherwise. */
  private static ServerProcess embeddedNode(int maxConnections, String redisUri, String nodeId) {
    ChatServer server = referenceBuilder(maxConnections)
        .cluster(io.github.obrol.server.ClusterOptions.redis(redisUri).withNodeId(nodeId)).build();
    InetSocketAddress bound = server.start().join();
    return new ServerProcess("embedded-" + nodeId, new InetSocketAddress("127.0.0.1", bound.getPort()), null, server, false);
  }

  /** The addresses to connect to: one, or a cluster's nodes in order. */
  public List<InetSocketAddress> addresses() {
    if (nodes.isEmpty()) {
      return List.of(address);
    }
    List<InetSocketAddress> all = new ArrayList<>();
    nodes.forEach(n -> all.add(n.address()));
    return all;
  }

  /** A cluster's Redis, for its statistics; empty for a single server. */
  public java.util.Optional<InetSocketAddress> clusterRedis() {
    return redis == null ? java.util.Optional.empty() : java.util.Optional.of(redis.address());
  }

  /** The reference server in this JVM, rate limit off, room for {@code maxConnections}. */
  public static ServerProcess embedded(int maxConnections) {
    ChatServer server = referenceBuilder(maxConnections).build();
    InetSocketAddress bound = server.start().join();
    return new ServerProcess("embedded", new InetSocketAddress("127.0.0.1", bound.getPort()), null, server, false);
  }

  /**
   * The settings of every reference server the generator starts: loopback, no command or per-address connection
   * rate limit, no limit of connections not yet logged in per address (the fleet connects from one address, as to Redis, which has none), no timeouts.
   */
  public static ChatServer.Builder referenceBuilder(int maxConnections) {
    return ChatServer.builder()
        .bindAddress("127.0.0.1")
        .port(0)
        .rateLimit(0, 1)
        .connectionRateLimit(0, 1)
        // As the child JVM's --max-anonymous-per-address 0: the fleet opens up to 200 connections at once from one
        // address, more than the default 64 not yet logged in (under load, JMH at 100 receivers failed on it).
        .maxAnonymousPerAddress(0)
        .maxConnections(maxConnections)
        .idleTimeout(Duration.ZERO)
        .loginTimeout(Duration.ofMinutes(10));
  }

  /**
   * The reference server's command line ({@code io.github.obrol.server.cli.ServerMain}) in a child JVM with
   * {@code classPath} (normally this JVM's, so the load generator's own jar is all it needs). {@code prefix} goes before the
   * command (e.g. {@code taskset -c 0}), as for the other child servers.
   */
  public static ServerProcess reference(int maxConnections, String classPath, List<String> jvmOptions, List<String> prefix,
      Duration timeout) throws IOException {
    return reference(maxConnections, classPath, jvmOptions, prefix, timeout, List.of());
  }

  /** {@link #reference(int, String, List, List, Duration)} with {@code extraArguments} after the generator's own. */
  static ServerProcess reference(int maxConnections, String classPath, List<String> jvmOptions, List<String> prefix,
      Duration timeout, List<String> extraArguments) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add("io.github.obrol.server.cli.ServerMain");
    // Every simulated user connects from 127.0.0.1 (idle mode: 10,000 at once, logging in as they go), so the
    // per-address limits that protect a public server (connection rate, connections not yet logged in) are off.
    command.addAll(
        List.of("--bind", "127.0.0.1", "--port", "0", "--rate", "0", "--connection-rate", "0", "--max-anonymous-per-address", "0",
            "--max-connections", Integer.toString(maxConnections), "--idle-timeout", "0", "--login-timeout", "600"));
    command.addAll(BenchTls.serverArguments()); // obrol-bench --tls
    command.addAll(extraArguments);
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
   * The {@code nullsink} target ({@link NullSink}) in a child JVM with this JVM's class path, {@code jvmOptions}
   * and {@code prefix} (e.g. {@code taskset -c 0}), as the reference server.
   */
  public static ServerProcess nullSink(List<String> jvmOptions, List<String> prefix, Duration timeout) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NullSink.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    pump(p, "nullsink", line -> {
      if (line.startsWith(NullSink.STARTED)) {
        port.complete(Integer.parseInt(line.substring(NullSink.STARTED.length()).trim()));
      }
    });
    try {
      int bound = port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ServerProcess("nullsink", new InetSocketAddress("127.0.0.1", bound), p, null, true);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("the null sink did not start within " + timeout + ": " + e, e);
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

  /**
   * CPU time the child process used so far (user and system, {@code /proc/PID/stat}, in clock ticks of 10 ms), in
   * seconds; for a cluster, the sum over its nodes (Redis not included). Empty for a server in this JVM, or where
   * {@code /proc} is missing.
   */
  public java.util.OptionalDouble cpuSeconds() {
    if (!nodes.isEmpty()) {
      double sum = 0;
      for (ServerProcess n : nodes) {
        java.util.OptionalDouble v = n.cpuSeconds();
        if (v.isEmpty()) {
          return java.util.OptionalDouble.empty();
        }
        sum += v.getAsDouble();
      }
      return java.util.OptionalDouble.of(sum);
    }
    if (process == null) {
      return java.util.OptionalDouble.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
      return java.util.OptionalDouble.of(ticks / 100.0); // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalDouble.empty();
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

  /** Sum of {@code f} over a cluster's nodes, empty if any node has no figure. */
  private OptionalLong sumOverNodes(java.util.function.Function<ServerProcess, OptionalLong> f) {
    long sum = 0;
    for (ServerProcess n : nodes) {
      OptionalLong v = f.apply(n);
      if (v.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += v.getAsLong();
    }
    return OptionalLong.of(sum);
  }

  /**
   * Resident memory of the child process in bytes ({@code VmRSS}), if this is a child process; for a cluster, the
   * sum over its nodes (child JVMs only).
   */
  public OptionalLong residentBytes() {
    if (!nodes.isEmpty()) {
      return sumOverNodes(ServerProcess::residentBytes);
    }
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
    if (!nodes.isEmpty()) {
      return sumOverNodes(ServerProcess::heapAfterGcBytes);
    }
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
    for (ServerProcess node : nodes) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
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
   * server or a cluster's Redis; empty otherwise.
   */
  public OptionalLong redisUsedMemory() {
    if (redis != null) {
      return redis.redisUsedMemory();
    }
    if (!label.equals("redis")) {
      return OptionalLong.empty();
    }
    try {
      String used = RedisStats.info(address, "memory").get("used_memory");
      return used == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(used.trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
