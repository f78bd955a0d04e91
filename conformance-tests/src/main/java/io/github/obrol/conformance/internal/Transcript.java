package io.github.obrol.conformance.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What every client of one check sent and received, with timestamps relative to the check's start. Lines
 * read {@code +12.345ms A C: "LOGIN x\n"}; bytes are written as Java string literals so CR, LF and
 * control bytes are visible. Thread-safe: reader threads append concurrently.
 */
public final class Transcript {
  private final long startNanos = System.nanoTime();
  private final List<String> lines = new ArrayList<>();

  /** Records bytes a client sent. */
  public void sent(String client, byte[] bytes) {
    add(client, "C", Escapes.literal(bytes));
  }

  /** Records bytes a client received in one read. */
  public void received(String client, byte[] bytes, int offset, int length) {
    byte[] copy = new byte[length];
    System.arraycopy(bytes, offset, copy, 0, length);
    add(client, "S", Escapes.literal(copy));
  }

  /** Records a note from the suite itself (connects, closes, waits, verdict details). */
  public void note(String client, String text) {
    add(client, "#", text);
  }

  private void add(String client, String direction, String text) {
    double ms = (System.nanoTime() - startNanos) / 1e6;
    String line = String.format("+%9.3fms %-4s %s: %s", ms, client, direction, text);
    synchronized (lines) {
      // Bounded: a flood check must not fill the heap with its own transcript.
      if (lines.size() < 5_000) {
        lines.add(line);
      } else if (lines.size() == 5_000) {
        lines.add("... (transcript truncated after 5000 entries)");
      }
    }
  }

  /** The transcript so far, one entry per line. */
  public String render() {
    synchronized (lines) {
      return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    }
  }
}
