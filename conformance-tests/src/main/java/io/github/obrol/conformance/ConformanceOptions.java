package io.github.obrol.conformance;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ProtocolDefaults;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to check and how: the server's address, the dialect, rule selection, timeouts and the server's
 * declared capabilities. Immutable; build with {@link #builder(InetSocketAddress)}.
 *
 * <h2>Timeouts</h2>
 * By default the suite measures the round trip to the server when it starts and derives its reply
 * timeout and its silence window (how long it waits to conclude that nothing more arrives) from it; both
 * are reported and can be fixed here.
 *
 * <h2>Shared servers</h2>
 * Every name the suite logs in starts with a prefix unique to the run, user lists are judged relative to
 * the users the suite itself logged in, and only events about its own users are judged, so other users of
 * the server neither disturb the run nor are judged. They do see the run's users join, speak and leave;
 * checks that would flood them or take the server's connection slots run only with {@link Builder#disruptive}.
 */
public final class ConformanceOptions {
  private final InetSocketAddress address;
  private final Dialect dialect;
  private final boolean mixedDialects;
  private final List<String> include;
  private final List<String> exclude;
  private final boolean strict;
  private final boolean disruptive;
  private final Duration replyTimeout;
  private final Duration silence;
  private final Duration connectTimeout;
  private final Duration frameGap;
  private final Duration quietPeriod;
  private final long seed;
  private final int statefulRuns;
  private final int statefulSteps;
  private final int maxLineLength;
  private final Duration loginTimeout;
  private final Duration maxWait;
  private final int maxConnections;
  private final long floodBytes;
  private final String namePrefix;
  private final io.github.obrol.conformance.launch.ServerLauncher freshServer;
  private final ConformanceSecurity security;

  private ConformanceOptions(Builder b) {
    this.address = b.address;
    this.dialect = b.dialect;
    this.mixedDialects = b.mixedDialects;
    this.include = List.copyOf(b.include);
    this.exclude = List.copyOf(b.exclude);
    this.strict = b.strict;
    this.disruptive = b.disruptive;
    this.replyTimeout = b.replyTimeout;
    this.silence = b.silence;
    this.connectTimeout = b.connectTimeout;
    this.frameGap = b.frameGap;
    this.quietPeriod = b.quietPeriod;
    this.seed = b.seed;
    this.statefulRuns = b.statefulRuns;
    this.statefulSteps = b.statefulSteps;
    this.maxLineLength = b.maxLineLength;
    this.loginTimeout = b.loginTimeout;
    this.maxWait = b.maxWait;
    this.maxConnections = b.maxConnections;
    this.floodBytes = b.floodBytes;
    this.namePrefix = b.namePrefix;
    this.freshServer = b.freshServer;
    this.security = b.security;
  }

  /** Options for the server at {@code address}, with every default. */
  public static Builder builder(InetSocketAddress address) {
    return new Builder(address);
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder(address);
    b.dialect = dialect;
    b.mixedDialects = mixedDialects;
    b.include.addAll(include);
    b.exclude.addAll(exclude);
    b.strict = strict;
    b.disruptive = disruptive;
    b.replyTimeout = replyTimeout;
    b.silence = silence;
    b.connectTimeout = connectTimeout;
    b.frameGap = frameGap;
    b.quietPeriod = quietPeriod;
    b.seed = seed;
    b.statefulRuns = statefulRuns;
    b.statefulSteps = statefulSteps;
    b.maxLineLength = maxLineLength;
    b.loginTimeout = loginTimeout;
    b.maxWait = maxWait;
    b.maxConnections = maxConnections;
    b.floodBytes = floodBytes;
    b.namePrefix = namePrefix;
    b.freshServer = freshServer;
    b.security = security;
    return b;
  }

  public InetSocketAddress address() {
    return address;
  }

  public Dialect dialect() {
    return dialect;
  }

  public boolean mixedDialects() {
    return mixedDialects;
  }

  public List<String> include() {
    return include;
  }

  public List<String> exclude() {
    return exclude;
  }

  public boolean strict() {
    return strict;
  }

  /**
   * Whether the checks that disturb other users of the server run (the GEN-LIMIT-5 flood, GEN-LIMIT-3's
   * connection slots, maxline-sized broadcasts, request bursts); without it they are SKIPPED with the reason.
   */
  public boolean disruptive() {
    return disruptive;
  }

  /** The fixed reply timeout, or empty to derive it from the measured round trip. */
  public Optional<Duration> replyTimeout() {
    return Optional.ofNullable(replyTimeout);
  }

  /** The fixed silence window, or empty to derive it from the measured round trip. */
  public Optional<Duration> silence() {
    return Optional.ofNullable(silence);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration frameGap() {
    return frameGap;
  }

  public Duration quietPeriod() {
    return quietPeriod;
  }

  public long seed() {
    return seed;
  }

  public int statefulRuns() {
    return statefulRuns;
  }

  public int statefulSteps() {
    return statefulSteps;
  }

  public int maxLineLength() {
    return maxLineLength;
  }

  /** The server's declared login timeout, or empty if not declared. */
  public Optional<Duration> loginTimeout() {
    return Optional.ofNullable(loginTimeout);
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** The server's declared connection limit, or 0 if not declared. */
  public int maxConnections() {
    return maxConnections;
  }

  public long floodBytes() {
    return floodBytes;
  }

  /** The launcher that starts a fresh server for every rule, if each rule runs on a server of its own. */
  public Optional<io.github.obrol.conformance.launch.ServerLauncher> freshServer() {
    return Optional.ofNullable(freshServer);
  }

  /** TLS and the accounts for the AUTH checks (PROTOCOL.md section 8); default plain text, no accounts. */
  public ConformanceSecurity security() {
    return security;
  }

  /** The fixed name prefix, or empty for a random one per run. */
  public Optional<String> namePrefix() {
    return Optional.ofNullable(namePrefix);
  }

  /** Builds {@link ConformanceOptions}; every setter documents its default. */
  public static final class Builder {
    private final InetSocketAddress address;
    private Dialect dialect = Dialect.MODERN;
    private boolean mixedDialects;
    private final List<String> include = new ArrayList<>();
    private final List<String> exclude = new ArrayList<>();
    private boolean strict;
    private boolean disruptive;
    private Duration replyTimeout;
    private Duration silence;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration frameGap = Duration.ofMillis(150);
    private Duration quietPeriod = ProtocolDefaults.CLASSIC_QUIET_PERIOD;
    private long seed = System.nanoTime();
    private int statefulRuns = 5;
    private int statefulSteps = 25;
    private int maxLineLength = ProtocolDefaults.MAX_LINE_LENGTH;
    private Duration loginTimeout;
    private Duration maxWait = Duration.ofSeconds(10);
    private int maxConnections;
    private long floodBytes = 64L << 20;
    private String namePrefix;
    private io.github.obrol.conformance.launch.ServerLauncher freshServer;
    private ConformanceSecurity security = ConformanceSecurity.plainText();

    private Builder(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
    }

    /** The dialect to check. Default: {@link Dialect#MODERN}. */
    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Whether the server serves both dialects on one port, which enables the cross-dialect checks
     * (GEN-DIALECT-1, GEN-DIALECT-2). Default: false.
     */
    public Builder mixedDialects(boolean mixed) {
      this.mixedDialects = mixed;
      return this;
    }

    /** Adds rule-ID globs to run ({@code *} and {@code ?}; for example {@code CL-*}). Default: all. */
    public Builder include(String... globs) {
      include.addAll(List.of(globs));
      return this;
    }

    /** Adds rule-ID globs to leave out. Default: none. */
    public Builder exclude(String... globs) {
      exclude.addAll(List.of(globs));
      return this;
    }

    /** Whether SHOULD rules fail the run. Default: false. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Whether to run the checks that disturb other users of the server: the GEN-LIMIT-5 flood, GEN-LIMIT-3
     * (takes every free connection slot), GEN-LINE-1 (maxline-sized broadcasts) and MD-EVENT-2 (request
     * bursts). Turn it on for a server nobody else uses (launchers that own the server do). Default: false.
     */
    public Builder disruptive(boolean disruptive) {
      this.disruptive = disruptive;
      return this;
    }

    /** How long to wait for an expected frame. Default: derived from the measured round trip. */
    public Builder replyTimeout(Duration timeout) {
      this.replyTimeout = positive("replyTimeout", timeout);
      return this;
    }

    /** How long to wait before concluding that nothing more arrives. Default: derived from the round trip. */
    public Builder silence(Duration silence) {
      this.silence = positive("silence", silence);
      return this;
    }

    /** How long a TCP connect may take. Default: 5 seconds. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Classic pacing (CL-FRAME-4): the least time between two classic frames on one connection when the
     * first got no answer, so that a server framing by read boundaries (the original) sees them apart.
     * {@link Duration#ZERO} turns pacing off for servers that frame by LF. Default: 150 ms.
     */
    public Builder frameGap(Duration gap) {
      Objects.requireNonNull(gap, "frameGap");
      if (gap.isNegative()) {
        throw new IllegalArgumentException("frameGap: " + gap + " (expected: >= 0)");
      }
      this.frameGap = gap;
      return this;
    }

    /** The server's classic quiet period (CL-FRAME-2). Default: 100 ms, the protocol default. */
    public Builder quietPeriod(Duration quietPeriod) {
      this.quietPeriod = positive("quietPeriod", quietPeriod);
      return this;
    }

    /** The seed of the stateful runs. Default: random; reported so that a run can be repeated. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Random scenarios in the stateful check. Default: 5. 0 skips the stateful check. */
    public Builder statefulRuns(int runs) {
      if (runs < 0) {
        throw new IllegalArgumentException("statefulRuns: " + runs + " (expected: >= 0)");
      }
      this.statefulRuns = runs;
      return this;
    }

    /** Steps per stateful scenario. Default: 25. */
    public Builder statefulSteps(int steps) {
      if (steps <= 0) {
        throw new IllegalArgumentException("statefulSteps: " + steps + " (expected: > 0)");
      }
      this.statefulSteps = steps;
      return this;
    }

    /** The server's maximum line length (GEN-LINE-1); a modern greeting's {@code maxline} wins. Default: 4096. */
    public Builder maxLineLength(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxLineLength: " + max + " (expected: > 0)");
      }
      this.maxLineLength = max;
      return this;
    }

    /** The server's login timeout (GEN-LIMIT-1), checked if at most {@link #maxWait}. Default: not declared. */
    public Builder loginTimeout(Duration timeout) {
      this.loginTimeout = positive("loginTimeout", timeout);
      return this;
    }

    /** The longest a single check may wait for a server timer to fire. Default: 10 seconds. */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = positive("maxWait", maxWait);
      return this;
    }

    /** The server's connection limit (GEN-LIMIT-3), checked if at most 200. Default: 0, not declared. */
    public Builder maxConnections(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxConnections: " + max + " (expected: >= 0)");
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * The most bytes the slow-consumer check (GEN-LIMIT-5) may make the server queue for a client that
     * does not read. 0 skips the check. Default: 64 MiB.
     */
    public Builder floodBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("floodBytes: " + bytes + " (expected: >= 0)");
      }
      this.floodBytes = bytes;
      return this;
    }

    /** A fixed name prefix (1 to 12 letters or digits, letter first). Default: random per run. */
    public Builder namePrefix(String prefix) {
      if (prefix == null || !prefix.matches("[A-Za-z][A-Za-z0-9]{0,11}")) {
        throw new IllegalArgumentException("namePrefix: " + prefix + " (expected: 1 to 12 letters or digits)");
      }
      this.namePrefix = prefix;
      return this;
    }

    /**
     * Runs every rule's check on a server of its own, started by {@code launcher} before the check and stopped
     * after it, so that no check sees traffic left over by an earlier one (the address given to the builder
     * is still used for the calibration and the STATEFUL check). Null: every check uses that address.
     */
    public Builder freshServer(io.github.obrol.conformance.launch.ServerLauncher launcher) {
      this.freshServer = launcher;
      return this;
    }

    /**
     * TLS for every connection and the accounts the AUTH checks log in with. Default: {@link
     * ConformanceSecurity#plainText()}.
     */
    public Builder security(ConformanceSecurity security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

    public ConformanceOptions build() {
      return new ConformanceOptions(this);
    }

    private static Duration positive(String field, Duration d) {
      Objects.requireNonNull(d, field);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
