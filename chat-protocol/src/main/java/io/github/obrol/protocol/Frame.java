package io.github.obrol.protocol;

import java.util.Arrays;

/** What a framer yields: a complete line, or the report that a line was too long (FR-LINE-1, GEN-LINE-2). */
public sealed interface Frame permits Frame.Line, Frame.TooLong {

  /** A complete frame, its terminator removed. */
  final class Line implements Frame {
    private final byte[] bytes;

    /** A line holding a copy of {@code bytes}. */
    public Line(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    static Line wrap(byte[] bytes) {
      return new Line(bytes, true);
    }

    private Line(byte[] bytes, boolean owned) {
      this.bytes = bytes;
    }

    /** A copy of the frame's bytes. */
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The number of bytes in the frame. */
    public int length() {
      return bytes.length;
    }

    byte[] unsafeBytes() {
      return bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Line && Arrays.equals(bytes, ((Line) o).bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Line[" + Names.printable(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)) + "]";
    }
  }

  /**
   * A frame passed the maximum line length; it is being discarded up to its terminator and no more is
   * reported of it (GEN-LINE-2).
   */
  record TooLong(int maxLineLength) implements Frame {}
}
