package io.github.obrol.client.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.obrol.client.ChatClient;
import io.github.obrol.client.ChatListener;
import io.github.obrol.client.Disconnection;
import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.LeaveReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Records every callback as a line of text ({@code "message bob hi UNKNOWN"}, {@code "joined carol"}, ...),
 * and records contract violations: two callbacks at once, a callback on a client I/O or timer thread, a
 * callback after {@code onClosed}, {@code onClosed} twice.
 */
public class RecordingListener implements ChatListener {
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<String> violations = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> unseen = new LinkedBlockingQueue<>();
  private final AtomicBoolean inCallback = new AtomicBoolean();
  private volatile boolean closed;
  /** Called on {@code onDisconnected}; a test may veto the reconnect here. */
  public volatile Consumer<Disconnection> onDisconnect = d -> {};

  private void record(String event) {
    if (!inCallback.compareAndSet(false, true)) {
      violations.add("concurrent callback: " + event);
    }
    try {
      String thread = Thread.currentThread().getName();
      if (thread.startsWith("obrol-client-reader") || thread.startsWith("obrol-client-writer")
          || thread.startsWith("obrol-client-timer")) {
        violations.add("callback on I/O thread " + thread + ": " + event);
      }
      if (closed) {
        violations.add("callback after onClosed: " + event);
      }
      events.add(event);
      unseen.add(event);
    } finally {
      inCallback.set(false);
    }
  }

  @Override
  public void onConnected(ChatClient client) {
    record("connected");
  }

  @Override
  public void onMessage(ChatClient client, String sender, String text, Audience audience) {
    record("message " + sender + " " + text + " " + audience);
  }

  @Override
  public void onJoin(ChatClient client, String name) {
    record("joined " + name);
  }

  @Override
  public void onLeave(ChatClient client, String name, LeaveReason reason, String detail) {
    record("left " + name + " " + reason);
  }

  @Override
  public void onNotice(ChatClient client, String text) {
    record("notice " + text);
  }

  @Override
  public void onServerText(ChatClient client, String text) {
    record("text " + text);
  }

  @Override
  public void onServerError(ChatClient client, ErrorCode code, String text) {
    record("error " + code);
  }

  @Override
  public void onDisconnected(ChatClient client, Disconnection disconnection) {
    onDisconnect.accept(disconnection);
    record("disconnected " + disconnection.cause().getClass().getSimpleName() + " willReconnect="
        + disconnection.willReconnect());
  }

  @Override
  public void onClosed(ChatClient client, Throwable cause) {
    record("closed " + (cause == null ? "null" : cause.getClass().getSimpleName()));
    closed = true;
  }

  /**
   * Waits (at most {@code timeout}) for the next not yet awaited event that matches, and returns it.
   * Events skipped on the way stay in {@link #events}.
   */
  public String await(Predicate<String> matching, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      String e = left > 0 ? unseen.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        fail("no event matching within " + timeout + "; skipped " + skipped + "; all " + events);
      }
      if (matching.test(e)) {
        return e;
      }
      skipped.add(e);
    }
  }

  /** Waits for the next event equal to {@code event}. */
  public String await(String event, Duration timeout) throws InterruptedException {
    return await(event::equals, timeout);
  }

  /** Asserts no contract violation was seen. */
  public void assertNoViolations() {
    assertEquals(List.of(), violations, "listener contract violations");
  }
}
