package io.github.obrol.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Splits a byte stream into LF-terminated frames, however it is chunked (FR-LINE-1, FR-LINE-2,
 * GEN-LINE-2). A CR directly before LF is part of the terminator. A frame longer than the maximum is
 * reported once as {@link Frame.TooLong} as soon as the limit is passed (fail fast), and its remaining
 * bytes are dropped up to the next LF: the framer never holds more than {@code maxLineLength + 1} bytes.
 *
 * <p>Not thread-safe: one instance per connection, used by one thread at a time.
 */
public final class LineFramer {
  private static final byte LF = '\n';
  private static final byte CR = '\r';

  /** The largest maximum a framer takes: its buffer of maximum + 1 bytes must fit in a Java array. */
  private static final int INITIAL_BUFFER = 64;
  private static final int MAX_SUPPORTED_LINE_LENGTH = Integer.MAX_VALUE - 16;

  private final int maxLineLength;
  private byte[] buffer;
  private int length;
  private boolean discarding;

  /**
   * A framer for frames of at most {@code maxLineLength} bytes, terminator excluded.
   *
   * @throws IllegalArgumentException if {@code maxLineLength} is not positive, or so large that
   *     {@code maxLineLength + 1} bytes cannot be one Java array
   */
  public LineFramer(int maxLineLength) {
    if (maxLineLength <= 0) {
      throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: > 0)");
    }
    if (maxLineLength > MAX_SUPPORTED_LINE_LENGTH) {
      throw new IllegalArgumentException(
          "maxLineLength: " + maxLineLength + " (expected: at most " + MAX_SUPPORTED_LINE_LENGTH + ")");
    }
    this.maxLineLength = maxLineLength;
    // Small at first: a chat line is usually short, and every connection, idle or not, keeps this buffer.
    this.buffer = new byte[Math.min(maxLineLength + 1, INITIAL_BUFFER)];
  }

  /** The maximum frame length in bytes, terminator excluded. */
  public int maxLineLength() {
    return maxLineLength;
  }

  /** Feeds the remaining bytes of {@code chunk} (consuming them) and passes every completed frame to {@code out}. */
  public void feed(ByteBuffer chunk, Consumer<? super Frame> out) {
    while (chunk.hasRemaining()) {
      byte b = chunk.get();
      if (b == LF) {
        endOfLine(out);
      } else if (discarding) {
        // Dropped: the overlong frame was reported when it passed the limit.
      } else {
        append(b, out);
      }
    }
  }

  /** Feeds {@code bytes} and returns the completed frames. */
  public List<Frame> feed(byte[] bytes) {
    List<Frame> frames = new ArrayList<>();
    feed(ByteBuffer.wrap(bytes), frames::add);
    return frames;
  }

  /** Whether bytes of an unterminated frame are held (or being discarded). */
  public boolean hasPartial() {
    return length > 0 || discarding;
  }

  /** The number of bytes held for the unterminated frame; never more than {@code maxLineLength + 1}. */
  public int bufferedBytes() {
    return length;
  }

  /** A copy of the held bytes of the unterminated frame. */
  public byte[] peekPartial() {
    byte[] copy = new byte[length];
    System.arraycopy(buffer, 0, copy, 0, length);
    return copy;
  }

  /**
   * Ends the unterminated frame as if an LF had arrived (CL-FRAME-2: quiet period or end of input) and
   * returns it, a trailing CR removed. Returns empty if nothing was held or the frame was being discarded
   * (it was reported already).
   */
  public Optional<Frame> finishPartial() {
    if (discarding) {
      discarding = false;
      return Optional.empty();
    }
    if (length == 0) {
      return Optional.empty();
    }
    return Optional.of(takeLine());
  }

  private void append(byte b, Consumer<? super Frame> out) {
    // One byte past the limit is allowed only while it may be the CR of a CR LF terminator.
    boolean fits = length < maxLineLength || (length == maxLineLength && b == CR);
    if (!fits) {
      length = 0;
      discarding = true;
      shrink();
      out.accept(new Frame.TooLong(maxLineLength));
      return;
    }
    if (length == buffer.length) {
      byte[] bigger = new byte[(int) Math.min(maxLineLength + 1L, buffer.length * 2L)];
      System.arraycopy(buffer, 0, bigger, 0, length);
      buffer = bigger;
    }
    buffer[length++] = b;
  }

  private void endOfLine(Consumer<? super Frame> out) {
    if (discarding) {
      discarding = false;
      return;
    }
    out.accept(takeLine());
  }

  private Frame.Line takeLine() {
    int end = length;
    if (end > 0 && buffer[end - 1] == CR) {
      end--;
    }
    byte[] line = new byte[end];
    System.arraycopy(buffer, 0, line, 0, end);
    length = 0;
    shrink();
    return Frame.Line.wrap(line);
  }

  private void shrink() {
    // An idle connection should not keep a large buffer alive after one long line.
    if (buffer.length > 4096) {
      buffer = new byte[INITIAL_BUFFER];
    }
  }
}
