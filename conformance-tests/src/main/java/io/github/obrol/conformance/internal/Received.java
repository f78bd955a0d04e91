package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.ServerMessage;

/**
 * One frame a client received: its raw text (a classic list block is one {@code Received} holding the
 * header and every entry line, LFs included between lines), the decoded message or why it did not
 * decode, and the reads it arrived in.
 *
 * @param atNanos {@link System#nanoTime()} when the frame completed
 * @param raw the frame as text, its final LF removed (a classic frame keeps its leading CR)
 * @param message the decoded message, or null if the frame did not decode
 * @param problem why the frame did not decode, or null
 * @param firstRead the index of the read holding the frame's first byte
 * @param lastRead the index of the read holding the frame's last byte
 */
public record Received(long atNanos, String raw, ServerMessage message, String problem, int firstRead, int lastRead) {

  /** Whether the frame decoded. */
  public boolean decoded() {
    return message != null;
  }

  /** The frame as a Java string literal, with its LF, as it was on the wire. */
  public String wire() {
    return Escapes.literal(raw + "\n");
  }

  @Override
  public String toString() {
    return wire();
  }
}
