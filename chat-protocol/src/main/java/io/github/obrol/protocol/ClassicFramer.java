package io.github.obrol.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Frames what a classic client sends; the one place that holds the classic framing rules beyond plain
 * lines (CL-FRAME-1, CL-FRAME-2, CL-FRAME-3).
 *
 * <p>The original client sends its login frame without LF. This framer therefore also ends a frame when
 * its owner calls {@link #quietPeriodElapsed} (no byte arrived for the quiet period,
 * {@link ProtocolDefaults#CLASSIC_QUIET_PERIOD} by default) or {@link #endOfInput}; it has no clock of
 * its own, so the transport schedules that call whenever {@link #hasPartial()} is true after a read. A
 * login frame merged with the next frame in one read ({@code "a says aa says list"}) is split in two.
 *
 * <p>Not thread-safe: one instance per connection.
 */
public final class ClassicFramer {
  private static final Pattern MERGED_LOGIN = Pattern.compile("(\\S+) says \\1(\\1 says .*)", Pattern.DOTALL);

  private final LineFramer lines;

  /** A framer for frames of at most {@code maxLineLength} bytes. */
  public ClassicFramer(int maxLineLength) {
    this.lines = new LineFramer(maxLineLength);
  }

  /** Feeds the remaining bytes of {@code chunk} and passes every completed frame to {@code out}. */
  public void feed(ByteBuffer chunk, Consumer<? super Frame> out) {
    lines.feed(chunk, frame -> emit(frame, out));
  }

  /** Feeds {@code bytes} and returns the completed frames. */
  public List<Frame> feed(byte[] bytes) {
    List<Frame> frames = new ArrayList<>();
    feed(ByteBuffer.wrap(bytes), frames::add);
    return frames;
  }

  /** Whether an unterminated frame is pending, so the owner should schedule {@link #quietPeriodElapsed}. */
  public boolean hasPartial() {
    return lines.hasPartial();
  }

  /** The number of bytes held for the unterminated frame. */
  public int bufferedBytes() {
    return lines.bufferedBytes();
  }

  /** No byte arrived for the quiet period: the pending frame is complete (CL-FRAME-2). */
  public void quietPeriodElapsed(Consumer<? super Frame> out) {
    lines.finishPartial().ifPresent(frame -> emit(frame, out));
  }

  /** The client closed its side: the pending frame is complete (CL-FRAME-2). */
  public void endOfInput(Consumer<? super Frame> out) {
    quietPeriodElapsed(out);
  }

  private static void emit(Frame frame, Consumer<? super Frame> out) {
    if (frame instanceof Frame.Line) {
      byte[] bytes = ((Frame.Line) frame).unsafeBytes();
      // ISO-8859-1 maps bytes to chars one to one, so offsets found in the string are byte offsets.
      Matcher m = MERGED_LOGIN.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
      if (m.matches()) {
        int split = m.start(2);
        byte[] login = new byte[split];
        byte[] rest = new byte[bytes.length - split];
        System.arraycopy(bytes, 0, login, 0, split);
        System.arraycopy(bytes, split, rest, 0, rest.length);
        out.accept(Frame.Line.wrap(login));
        out.accept(Frame.Line.wrap(rest));
        return;
      }
    }
    out.accept(frame);
  }
}
