package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.ConformanceOptions;
import java.util.concurrent.atomic.AtomicInteger;

/** What the checks of one run share: options, timeouts, the run's name prefix and learnt server traits. */
public final class RunContext {
  private final ConformanceOptions options;
  private final Timeouts timeouts;
  private final String prefix;
  private final AtomicInteger checkCounter;
  private final java.net.InetSocketAddress address;
  private final boolean onFreshServer;
  private final java.util.Map<String, AtomicInteger> confirmations;
  private volatile int maxLineLength;
  /** Null until known: whether the server answers frames of anonymous classic connections (CL-AUTH-2). */
  private volatile Boolean answersAnonymousClassic;

  public RunContext(ConformanceOptions options, Timeouts timeouts, String prefix) {
    this(options, timeouts, prefix, options.address(), false, new AtomicInteger(),
        new java.util.concurrent.ConcurrentSkipListMap<>());
  }

  private RunContext(ConformanceOptions options, Timeouts timeouts, String prefix, java.net.InetSocketAddress address,
      boolean onFreshServer, AtomicInteger checkCounter, java.util.Map<String, AtomicInteger> confirmations) {
    this.options = options;
    this.timeouts = timeouts;
    this.prefix = prefix;
    this.address = address;
    this.onFreshServer = onFreshServer;
    this.checkCounter = checkCounter;
    this.confirmations = confirmations;
    this.maxLineLength = options.maxLineLength();
  }

  /** This run's context for a check on a fresh server at {@code freshAddress} (same prefix counter and timeouts). */
  public RunContext withAddress(java.net.InetSocketAddress freshAddress) {
    RunContext r = new RunContext(options, timeouts, prefix, freshAddress, true, checkCounter, confirmations);
    r.maxLineLength = maxLineLength;
    r.answersAnonymousClassic = answersAnonymousClassic;
    r.listAnswered = listAnswered;
    return r;
  }

  /** Where the checks connect: the target, or the fresh server of this check. */
  public java.net.InetSocketAddress address() {
    return address;
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
