package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.ConformanceOptions;
import java.util.concurrent.atomic.AtomicInteger;

/** What the checks of one run share: options, timeouts, the run's name prefix and learnt server traits. */
public final class RunContext {
  private final ConformanceOptions options;
  private final Timeouts timeouts;
  private final String prefix;
  private final AtomicInteger checkCounter = new AtomicInteger();
  private volatile int maxLineLength;
  /** Null until known: whether the server answers frames of anonymous classic connections (CL-AUTH-2). */
  private volatile Boolean answersAnonymousClassic;

  public RunContext(ConformanceOptions options, Timeouts timeouts, String prefix) {
    this.options = options;
    this.timeouts = timeouts;
    this.prefix = prefix;
    this.maxLineLength = options.maxLineLength();
  }

  public ConformanceOptions options() {
    return options;
  }

  public Timeouts timeouts() {
    return timeouts;
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

  public Boolean answersAnonymousClassic() {
    return answersAnonymousClassic;
  }

  public void answersAnonymousClassic(boolean answers) {
    this.answersAnonymousClassic = answers;
  }
}
