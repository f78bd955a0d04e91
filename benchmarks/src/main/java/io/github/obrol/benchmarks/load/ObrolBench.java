package io.github.obrol.benchmarks.load;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.obrol.benchmarks.load.internal.Charts;
import io.github.obrol.benchmarks.load.internal.Json;
import io.github.obrol.benchmarks.load.internal.LoadRun;
import io.github.obrol.benchmarks.load.internal.Report;
import io.github.obrol.benchmarks.load.internal.TargetSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code obrol-bench}: a load generator for chat servers that speak the Obrol protocol (either dialect), with
 * Redis pub/sub as the comparison peer, measured by the same receivers.
 *
 * <pre>
 * java -jar benchmarks/target/obrol-bench.jar throughput --target reference --target redis --receivers 100 --runs 5
 * java -jar benchmarks/target/obrol-bench.jar latency --target reference --receivers 1000 --deliveries-per-second 100000
 * java -jar benchmarks/target/obrol-bench.jar idle --target reference --connections 10000
 * </pre>
 *
 * <p>Prints progress to stderr while it runs, then a table of medians and spreads to stdout; {@code --json}
 * writes every run's figures, {@code --plot DIR} PNG charts and HdrHistogram {@code .hgrm} files. Exit codes
 * are listed in {@code --help} ({@link #EXIT_UNREACHABLE} for a target that cannot be reached).
 */
@Command(
    name = "obrol-bench",
    mixinStandardHelpOptions = true,
    versionProvider = ObrolBench.Version.class,
    description = "Load generator for Obrol chat servers and Redis pub/sub.",
    subcommands = {ObrolBench.Throughput.class, ObrolBench.Latency.class, ObrolBench.Idle.class, ObrolBench.Plot.class},
    footerHeading = "%n",
    footer = {
        "Table columns (one row per configuration and target; each figure is the median of the runs, with",
        "the minimum and maximum in brackets):",
        "  configuration    N receivers, M senders, payload bytes, inFlight broadcasts per sender, stalled",
        "                   receivers that stop reading, rate (latency: target deliveries/s), K idle connections",
        "  target           the server measured and the wire it was spoken to in (modern, classic, redis)",
        "  runs             runs of this configuration and target that completed",
        "  deliveries/s     messages received, summed over every receiver, per second of the measurement",
        "  p50/p99/p99.9/max ms  latency per recipient: intended send time to arrival at each receiver",
        "  p99 to last ms   latency to the last recipient: until every receiver of a broadcast has it",
        "  heap B/conn      reference server: heap growth after a full GC per idle connection",
        "  redis used B/conn, RSS B/conn   Redis used_memory and resident memory growth per connection",
        "  first/this       the first target's median divided by this target's (2.00x: the first is twice",
        "                   as high); for deliveries/s above 1 means the first target is faster",
        "",
        "Exit codes:",
        "  0  every run completed        1  a run failed           2  invalid option or value",
        "  3  a target cannot be reached (nothing listens at obrol://HOST:PORT or redis://HOST:PORT)"})
public final class ObrolBench implements Callable<Integer> {
  /** Exit code: a target address cannot be reached. */
  public static final int EXIT_UNREACHABLE = 3;

  /** The arguments of the current invocation, recorded in the JSON so a result says how it was made. */
  private static volatile List<String> arguments = List.of();

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 2;
  }

  /** Options every mode has. */
  static final class Common {
    @Option(names = {"-t", "--target"}, paramLabel = "TARGET", defaultValue = "reference", split = ",",
        description = "Server(s) to measure, in this order, alternating per run: reference (child JVM), reference=JAR "
            + "(the reference server of another build's obrol-bench.jar, for before/after), embedded (this JVM), nullsink (a child JVM "
            + "that only answers and counts, modern dialect only: the generator's own ceiling), python (the original chatserver.py), redis (redis-server), cluster:reference:K (a redis-server "
            + "and K clustered reference servers in child JVMs), cluster:embedded:K (the same in this JVM), "
            + "obrol://HOST:PORT, obrol://HOST:PORT+HOST:PORT+... (a running cluster's nodes), redis://HOST:PORT. With K "
            + "nodes, receiver i and sender j connect to node i mod K and j mod K (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--dialect", defaultValue = "MODERN", description = "Dialect for Obrol servers: MODERN or CLASSIC (default: ${DEFAULT-VALUE}).")
    Wire dialect;

    @Option(names = "--runs", defaultValue = "1", description = "Runs per target and configuration, each with a fresh server and fresh connections (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--io-threads", defaultValue = "0", description = "Generator event-loop threads, 0 for one per processor (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--connect-batch", defaultValue = "200", description = "Connections opened at once (default: ${DEFAULT-VALUE}; 5 for python).")
    int connectBatch;

    @Option(names = "--setup-timeout", defaultValue = "300", paramLabel = "SECONDS", description = "Longest wait for the server to start and the connections to log in (default: ${DEFAULT-VALUE}).")
    int setupTimeout;

    @Option(names = "--server-jvm-options", defaultValue = "-Xms512m -Xmx4g", paramLabel = "OPTIONS",
        description = "JVM options of the reference server's child JVM (default: ${DEFAULT-VALUE}).")
    String serverJvmOptions;

    @Option(names = "--python", paramLabel = "COMMAND",
        description = "Command that runs Python 2.7 (default: $OBROL_PYTHON2, else 'pyenv exec python2' with PYENV_VERSION=2.7.18 where pyenv is installed, else python2).")
    String python;

    @Option(names = "--python-server", paramLabel = "FILE",
        description = "The original chatserver.py (default: $OBROL_SEED_DIR/chatserver.py, else ../shared/seed/chatserver.py).")
    Path pythonServer;

    @Option(names = "--redis-server", defaultValue = "redis-server", paramLabel = "COMMAND", description = "The redis-server executable (default: ${DEFAULT-VALUE}).")
    String redisServer;

    @Option(names = "--server-cpus", paramLabel = "CPUS",
        description = "Run the servers the generator starts (not embedded) on these CPUs, with taskset -c CPUS; run the generator itself under taskset to keep the two apart.")
    String serverCpus;

    @Option(names = "--cluster-redis", paramLabel = "HOST:PORT",
        description = "The Redis of a running cluster (obrol://H:P1+H:P2): its INFO commandstats and stats are read"
            + " before and after each measurement and reported per broadcast (cluster:... targets read their own).")
    String clusterRedis;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every run's figures to FILE as JSON ('-' for stdout).")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR", description = "Also write PNG charts (throughput against receivers, latency percentile curves) and each run's latency histograms (HdrHistogram .hgrm) into DIR.")
    Path plot;

    @Option(names = "--tls", description = "The reference target serves TLS (a throw-away self-signed certificate) and the"
        + " generator connects with TLS 1.3/1.2; other targets stay plain text.")
    boolean tls;

    @Option(names = "--tls-provider", defaultValue = "JDK", paramLabel = "JDK|OPENSSL",
        description = "With --tls: the reference server's TLS implementation (default: ${DEFAULT-VALUE}).")
    String tlsProvider;

    LoadRun.Setup setup() {
      if (tls && !io.github.obrol.benchmarks.load.internal.BenchTls.enabled()) {
        try {
          io.github.obrol.benchmarks.load.internal.BenchTls.enable(tlsProvider);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("--tls: " + e.getMessage(), e);
        }
      }
      String py = python != null ? python : System.getenv().getOrDefault("OBROL_PYTHON2", onPath("pyenv") ? "pyenv exec python2" : "python2");
      Path script = pythonServer;
      if (script == null) {
        String seed = System.getProperty("obrol.seed.dir", System.getenv("OBROL_SEED_DIR"));
        script = seed != null ? Path.of(seed, "chatserver.py") : Path.of("..", "shared", "seed", "chatserver.py");
      }
      return new LoadRun.Setup(dialect, ioThreads, connectBatch, Duration.ofSeconds(setupTimeout),
          words(serverJvmOptions), words(py), script, redisServer, serverCpus, System.err, plot, clusterRedisAddress());
    }

    /** The address of {@code --cluster-redis}, or null. */
    InetSocketAddress clusterRedisAddress() {
      if (clusterRedis == null) {
        return null;
      }
      com.google.common.net.HostAndPort hp;
      try {
        hp = com.google.common.net.HostAndPort.fromString(clusterRedis.trim().replaceFirst("^redis://", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cluster-redis: " + clusterRedis + " (expected: HOST:PORT)");
      }
      if (!hp.hasPort() || hp.getHost().isEmpty() || hp.getPort() < 1) {
        throw new IllegalArgumentException("cluster-redis: " + clusterRedis + " (expected: HOST:PORT)");
      }
      return new InetSocketAddress(hp.getHost(), hp.getPort());
    }

    /**
     * Why an external target (obrol:// or redis://) cannot be reached, or null if every one accepts a TCP
     * connection: checked before any run, so a server that is not running is one line, not a failed run.
     */
    String unreachableTarget() {
      for (TargetSpec t : targetSpecs()) {
        if (t.kind() != TargetSpec.Kind.EXTERNAL_OBROL && t.kind() != TargetSpec.Kind.EXTERNAL_REDIS) {
          continue;
        }
        for (InetSocketAddress address : t.externalAddresses()) {
          String problem = unreachable(address);
          if (problem != null) {
            String which = t.nodes() > 1 ? " (node " + address.getHostString() + ":" + address.getPort() + ")" : "";
            return "cannot reach " + t.text() + which + ": " + problem;
          }
        }
      }
      InetSocketAddress redis = clusterRedisAddress();
      String problem = redis == null ? null : unreachable(redis);
      return problem == null ? null : "cannot reach --cluster-redis " + clusterRedis + ": " + problem;
    }

    /** Why nothing accepts a TCP connection at {@code address}, or null if something does. */
    private static String unreachable(InetSocketAddress address) {
      if (address.isUnresolved()) {
        return "unknown host " + address.getHostString();
      }
      try (Socket probe = new Socket()) {
        probe.connect(address, 5_000);
      } catch (ConnectException e) {
        return "connection refused (is the server running?)";
      } catch (SocketTimeoutException e) {
        return "no answer within 5 s";
      } catch (IOException e) {
        return e.getMessage();
      }
      return null;
    }

    List<TargetSpec> targetSpecs() {
      List<TargetSpec> specs = new ArrayList<>();
      for (String t : targets) {
        specs.add(TargetSpec.parse(t));
      }
      return specs;
    }

    void validate() {
      positive("runs", runs);
      positive("connect-batch", connectBatch);
      positive("setup-timeout", setupTimeout);
      if (ioThreads < 0) {
        throw new IllegalArgumentException("io-threads: " + ioThreads + " (expected: >= 0)");
      }
      if (dialect == Wire.REDIS) {
        throw new IllegalArgumentException("dialect: REDIS (expected: MODERN or CLASSIC; use --target redis for Redis)");
      }
      targetSpecs();
      clusterRedisAddress();
    }
  }

  /** Options of the two broadcast modes. */
  static final class BroadcastOptions {
    @Option(names = {"-n", "--receivers"}, split = ",", defaultValue = "100", paramLabel = "N",
        description = "Receivers; a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> receivers;

    @Option(names = {"-m", "--senders"}, defaultValue = "1", paramLabel = "M", description = "Senders (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--payload", split = ",", defaultValue = "32", paramLabel = "BYTES",
        description = "Message text bytes; texts shorter than the generator's 25-byte header are sent at 25; a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> payload;

    @Option(names = "--stalled", split = ",", defaultValue = "0", paramLabel = "S",
        description = "Extra receivers that log in and then never read; a list runs each, so 0,1 shows the effect of one (default: ${DEFAULT-VALUE}).")
    List<Integer> stalled;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS", description = "Warm-up before each measurement (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "Measurement interval (default: ${DEFAULT-VALUE}).")
    double duration;

    void validate() {
      for (int n : receivers) {
        positive("receivers", n);
      }
      for (int p : payload) {
        positive("payload", p);
      }
      positive("senders", senders);
      for (int s : stalled) {
        if (s < 0) {
          throw new IllegalArgumentException("stalled: " + s + " (expected: >= 0)");
        }
      }
      if (!(warmup >= 0)) {
        throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
      }
      if (!(duration > 0)) {
        throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
      }
    }
  }

  /** Closed-loop maximum throughput. */
  @Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Closed loop: each sender keeps --in-flight broadcasts in flight; a broadcast leaves the window when every receiver has it. Reports deliveries/s counted at the receivers.")
  static final class Throughput implements Callable<Integer> {
    @Mixin BroadcastOptions load;

    @Option(names = "--in-flight", defaultValue = "64", description = "Broadcasts in flight per sender (python: always 1) (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.validate();
      load.validate();
      positive("in-flight", inFlight);
      return broadcastRuns(common, load, inFlight, 0);
    }
  }

  /** Open-loop fixed-rate latency. */
  @Command(name = "latency", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Open loop: broadcasts leave at a fixed rate, each stamped with its intended send time; latency from that time to each recipient and to the last (HdrHistogram, no coordinated omission).")
  static final class Latency implements Callable<Integer> {
    @Mixin BroadcastOptions load;

    @Option(names = "--deliveries-per-second", defaultValue = "100000", paramLabel = "RATE",
        description = "Target deliveries per second; broadcasts per second = RATE / receivers (default: ${DEFAULT-VALUE}).")
    double rate;

    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.validate();
      load.validate();
      if (!(rate > 0)) {
        throw new IllegalArgumentException("deliveries-per-second: " + rate + " (expected: > 0)");
      }
      return broadcastRuns(common, load, 1, rate);
    }
  }

  /** Idle connections for memory per connection. */
  @Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Holds K idle logged-in connections (Redis: subscribed) and reports the server's growth in heap after a full GC (reference server, via jcmd), Redis used_memory, and resident memory (/proc/PID/status), per connection. Memory is read only for servers the generator started.")
  static final class Idle implements Callable<Integer> {
    @Option(names = {"-k", "--connections"}, defaultValue = "10000", paramLabel = "K", description = "Idle connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--settle", defaultValue = "2", paramLabel = "SECONDS", description = "Wait after the last login before measuring (default: ${DEFAULT-VALUE}).")
    double settle;

    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.validate();
      positive("connections", connections);
      String unreachable = common.unreachableTarget();
      if (unreachable != null) {
        System.err.println("obrol-bench: " + unreachable);
        return EXIT_UNREACHABLE;
      }
      List<Map<String, Object>> results = new ArrayList<>();
      boolean failed = false;
      LoadRun.Setup setup = common.setup();
      for (int run = 1; run <= common.runs; run++) {
        for (TargetSpec target : common.targetSpecs()) {
          String label = target + " K=" + connections + " run " + run + "/" + common.runs;
          try {
            Map<String, Object> r = LoadRun.idle(target, setup, connections, seconds(settle), label);
            r.put("run", run);
            results.add(r);
          } catch (Exception e) {
            failed = true;
            results.add(failure("idle", target, run, e));
            System.err.println("[" + label + "] failed: " + e);
          }
        }
      }
      return finish(common, "idle", results, failed);
    }
  }

  static int broadcastRuns(Common common, BroadcastOptions o, int inFlight, double rate) throws IOException {
    String mode = rate > 0 ? "latency" : "throughput";
    List<LoadRun.Load> loads = new ArrayList<>();
    for (int receivers : o.receivers) {
      for (int payload : o.payload) {
        for (int stalled : o.stalled) {
          loads.add(new LoadRun.Load(receivers, o.senders, payload, inFlight, stalled, rate, seconds(o.warmup), seconds(o.duration)));
        }
      }
    }
    String unreachable = common.unreachableTarget();
    if (unreachable != null) {
      System.err.println("obrol-bench: " + unreachable);
      return EXIT_UNREACHABLE;
    }
    List<Map<String, Object>> results = new ArrayList<>();
    boolean failed = false;
    LoadRun.Setup setup = common.setup();
    for (LoadRun.Load load : loads) {
      // Targets alternate within each round of runs, so a slow drift of the machine affects them alike.
      for (int run = 1; run <= common.runs; run++) {
        for (TargetSpec target : common.targetSpecs()) {
          String label = target + " N=" + load.receivers() + " payload=" + load.payloadBytes()
              + (load.stalled() > 0 ? " stalled=" + load.stalled() : "") + " run " + run + "/" + common.runs;
          try {
            Map<String, Object> r = LoadRun.broadcast(target, setup, load, label);
            r.put("run", run);
            results.add(r);
            if (r.containsKey("skipped")) {
              System.err.println("[" + label + "] skipped: " + r.get("skipped"));
            }
          } catch (Exception e) {
            failed = true;
            results.add(failure(mode, target, run, e));
            System.err.println("[" + label + "] failed: " + e);
          }
        }
      }
    }
    return finish(common, mode, results, failed);
  }

  private static Map<String, Object> failure(String mode, TargetSpec target, int run, Exception e) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mode", mode);
    r.put("target", target.text());
    r.put("run", run);
    r.put("failed", String.valueOf(e));
    return r;
  }

  private static int finish(Common common, String mode, List<Map<String, Object>> results, boolean failed) throws IOException {
    PrintStream out = System.out;
    out.println();
    out.print(Report.table(mode, results));
    if (common.json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("tool", "obrol-bench " + artifactVersion());
      doc.put("mode", mode);
      doc.put("arguments", arguments);
      doc.put("finishedAt", Instant.now().toString());
      doc.put("machine", machine());
      doc.put("runs", results);
      String text = Json.write(doc);
      if (common.json.toString().equals("-")) {
        out.print(text);
      } else {
        Files.writeString(common.json, text, StandardCharsets.UTF_8);
        System.err.println("results written to " + common.json.toAbsolutePath());
      }
    }
    if (common.plot != null) {
      for (Path chart : Charts.write(results, common.plot, mode)) {
        System.err.println("chart written to " + chart.toAbsolutePath());
      }
    }
    return failed ? 1 : 0;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processors", Runtime.getRuntime().availableProcessors());
    m.put("generatorCpus", affinity());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    try {
      m.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
    } catch (IOException e) {
      // not Linux
    }
    return m;
  }

  /** Charts from results written before. */
  @Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Writes PNG charts from result files of --json: FILE-throughput.png (deliveries/s against receivers, one line per target) and FILE-latency.png (latency by percentile, one line per target and receiver count), each point the median of its runs.")
  static final class Plot implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the charts.")
    Path out;

    @CommandLine.Parameters(paramLabel = "FILE", arity = "1..*", description = "Result files written with --json.")
    List<Path> files;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
      for (Path file : files) {
        if (!Files.isReadable(file)) {
          throw new IllegalArgumentException("cannot read " + file);
        }
        Map<String, Object> doc = JSON.std.mapFrom(Files.readString(file, StandardCharsets.UTF_8));
        List<Map<String, Object>> runs = (List<Map<String, Object>>) doc.getOrDefault("runs", List.of());
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        List<Path> written = Charts.write(runs, out, name);
        if (written.isEmpty()) {
          System.err.println(file + ": no throughput or latency runs to plot");
        }
        for (Path chart : written) {
          System.out.println(chart);
        }
      }
      return 0;
    }
  }

  /** The CPUs this process may run on (Cpus_allowed_list of /proc/self/status), or "?". */
  private static String affinity() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Cpus_allowed_list:")) {
          return line.substring("Cpus_allowed_list:".length()).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "?";
  }

  /** Whether {@code executable} is an executable file in a directory of {@code PATH}. */
  static boolean onPath(String executable) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }

  static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  static List<String> words(String s) {
    List<String> w = new ArrayList<>(Arrays.asList(s.trim().split("\\s+")));
    w.removeIf(String::isEmpty);
    return w;
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String... args) {
    arguments = List.of(args);
    CommandLine cl = new CommandLine(new ObrolBench()).setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("obrol-bench: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cl.execute(args);
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    // As the runnable server: Netty's sampled leak detection (a stack trace per 128 buffers) is the generator's
    // cost, not the server's; off unless asked for (and for the embedded target, which shares this JVM).
    System.setProperty("io.netty.leakDetection.level", System.getProperty("io.netty.leakDetection.level", "disabled"));
    System.exit(run(args));
  }

  /** {@code --version}: the artifact version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"obrol-bench " + artifactVersion() + " (protocol obrol/1)"};
    }
  }

  /** This tool's artifact version, e.g. {@code 0.1.0-SNAPSHOT}; {@code "unknown"} if the resource is missing. */
  static String artifactVersion() {
    java.util.Properties properties = new java.util.Properties();
    try (java.io.InputStream in = ObrolBench.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (java.io.IOException e) {
      // Only --version reads it; "unknown" says what happened.
    }
    return properties.getProperty("version", "unknown");
  }
}
