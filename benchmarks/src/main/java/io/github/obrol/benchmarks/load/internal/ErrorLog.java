package io.github.obrol.benchmarks.load.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Collects what went wrong during a run: error replies, unexpected closes. Thread-safe. */
public final class ErrorLog {
  private static final int KEPT = 10;

  private final LongAdder errors = new LongAdder();
  private final LongAdder closedReceivers = new LongAdder();
  private final LongAdder closedOthers = new LongAdder();
  private final List<String> first = new ArrayList<>();
  private final AtomicBoolean closing = new AtomicBoolean();

  /** An error reply or failure on connection {@code name}. */
  public void error(String name, String text) {
    errors.increment();
    synchronized (first) {
      if (first.size() < KEPT) {
        first.add(name + ": " + text);
      }
    }
  }

  /** A connection ended; closes after {@link #closing()} are expected and not counted. */
  public void closed(BenchConnection.Role role, String name) {
    if (closing.get()) {
      return;
    }
    if (role == BenchConnection.Role.STALLED) {
      return; // seen only once it reads again: Fleet.resumeStalled counts these
    }
    if (role == BenchConnection.Role.RECEIVER) {
      closedReceivers.increment();
    } else {
      closedOthers.increment();
    }
  }

  /** From now on the generator closes connections itself. */
  public void closing() {
    closing.set(true);
  }

  /** Error replies and failures seen. */
  public long errors() {
    return errors.sum();
  }

  /** Receivers the server closed during the run. */
  public long closedReceivers() {
    return closedReceivers.sum();
  }

  /** Senders or idle connections the server closed during the run. */
  public long closedOthers() {
    return closedOthers.sum();
  }

  /** The first few errors, for the report. */
  public List<String> firstErrors() {
    synchronized (first) {
      return List.copyOf(first);
    }
  }
}
