package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.ConformanceOptions;
import java.util.concurrent.atomic.AtomicInteger;

/** What the checks of one run share: options, timeouts, the run's name prefix and learnt server traits. */
public final class RunContext {
  private final ConformanceOptions options;
  private final Timeouts timeouts;
  private final String prefix;
  private final AtomicInteger checkCounter;
  private final java.util.List<java.net.InetSocketAddress> addresses;
  private final boolean onFreshServer;
  private final java.util.Map<String, AtomicInteger> confirmations;
  private volatile int maxLineLength;
  /** Null until known: whether the server answers frames of anonymous classic connections (CL-AUTH-2). */
  private volatile Boolean answersAnonymousClassic;

  public RunContext(ConformanceOptions options, Timeouts timeouts, String prefix) {
    this(options, timeouts, prefix, options.addresses(), false, new AtomicInteger(),
        new java.util.concurrent.ConcurrentSkipListMap<>());
  }

  private RunContext(ConformanceOptions options, Timeouts timeouts, String prefix,
      java.util.List<java.net.InetSocketAddress> addresses, boolean onFreshServer, AtomicInteger checkCounter, java.util.Map<String, AtomicInteger> confirmations) {
    this.options = options;
    this.timeouts = timeouts;
    this.prefix = prefix;
    this.addresses = java.util.List.copyOf(addresses);
    this.onFreshServer = onFreshServer;
    this.checkCounter = checkCounter;
    this.confirmations = confirmations;
    this.maxLineLength = options.maxLineLength();
  }

  /** This run's context for a check on a fresh server at {@code freshAddress} (same prefix counter and timeouts). */
  public RunContext withAddress(java.net.InetSocketAddress freshAddress) {
    RunContext r = new RunContext(options, timeouts, prefix, java.util.List.of(freshAddress), true, checkCounter,
        confirmations);
    r.maxLineLength = maxLineLength;
    r.answersAnonymousClassic = answersAnonymousClassic;
    r.listAnswered = listAnswered;
    return r;
  }

  /** The first address the checks connect to: the target's first, or the fresh server of this check. */
  public java.net.InetSocketAddress address() {
    return addresses.get(0);
  }

  /** Every address the checks connect to, in order (one for a single server or a fresh server). */
  public java.util.List<java.net.InetSocketAddress> addresses() {
    return addresses;
  }

  /**
   * Where a check's connection number {@code connection} (0 for its first) goes: the addresses round-robin,
   * {@code addresses().get(connection % addresses().size())}.
   */
  public java.net.InetSocketAddress addressFor(int connection) {
    return spread(addresses, connection);
  }

  /** The round-robin rule of {@link #addressFor}: element {@code connection mod size} of {@code addresses}. */
  static <T> T spread(java.util.List<T> addresses, int connection) {
    if (connection < 0) {
      throw new IllegalArgumentException("connection: " + connection + " (expected: >= 0)");
    }
    return addresses.get(connection % addresses.size());
  }

  /** Whether this context belongs to a check on a server started for it alone. */
  public boolean onFreshServer() {
    return onFreshServer;
  }

  /** Counts one confirmation of a login or barrier by {@code means} (for the report). */
  public void confirmedBy(String means) {
    confirmations.computeIfAbsent(means, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How logins and barriers were confirmed so far: {@code "list 40, private message to oneself 2"}. */
  public String confirmations() {
    StringBuilder b = new StringBuilder();
    confirmations.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v.get()));
    return b.length() == 0 ? "none yet" : b.toString();
  }

  public ConformanceOptions options() {
    return options;
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  private volatile boolean authRequired;

  /** Whether a greeting of this run said {@code authreq=1} (AUTH-10). */
  public boolean authRequired() {
    return authRequired;
  }

  /** Records that the server requires authentication before LOGIN. */
  public void authRequired(boolean required) {
    this.authRequired = required;
  }

  /** The run's name prefix; every name the run logs in starts with it. */
  public String prefix() {
    return prefix;
  }

  /** A name prefix for the next check, unique within the run: the run prefix and a counter. */
  public String nextCheckPrefix() {
    return prefix + Integer.toString(checkCounter.incrementAndGet(), 36);
  }

  public int maxLineLength() {
    return maxLineLength;
  }

  /** Records the maximum line length the server announced (MD-HELLO-1 {@code maxline}). */
  public void maxLineLength(int announced) {
    this.maxLineLength = announced;
  }

  /** Null until known: whether the server answers a logged-in classic {@code list} with a user list. */
  private volatile Boolean listAnswered;

  public Boolean listAnswered() {
    return listAnswered;
  }

  public void listAnswered(boolean answered) {
    this.listAnswered = answered;
  }

  public Boolean answersAnonymousClassic() {
    return answersAnonymousClassic;
  }

  public void answersAnonymousClassic(boolean answers) {
    this.answersAnonymousClassic = answers;
  }
}
