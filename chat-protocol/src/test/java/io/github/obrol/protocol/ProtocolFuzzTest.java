package io.github.obrol.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzz tests (Jazzer) of every decoder and framer of the protocol. Each asserts totality
 * (no input makes the code under test throw: decoders return a value or a {@link DecodeResult.Failure}),
 * bounds (a framer never holds more than its maximum plus one byte, and never yields a longer frame) and,
 * where one exists, a round trip or an agreement with a simple reference model.
 *
 * <p>Without {@code JAZZER_FUZZ} (a normal build) each method runs once per checked-in input under
 * {@code src/test/resources/io/github/obrol/protocol/ProtocolFuzzTestInputs/<method>/}: the seeds and
 * every crash input found so far, as regression tests. The root README says how to fuzz for real.
 *
 * <p>Framer inputs are self-describing so that seeds stay readable: byte 0 picks the maximum line length
 * (1 to 64), byte 1 seeds the chunking (and the quiet-period calls of the classic framer), the rest is
 * the stream.
 */
class ProtocolFuzzTest {
  /** How long one target fuzzes when JAZZER_FUZZ is set; without it the corpus runs once, quickly. */
  static final String FUZZ_DURATION = "2m";

  private static final Pattern MERGED_LOGIN_HEAD = Pattern.compile("(\\S+) says \\1", Pattern.DOTALL);

  // ------------------------------------------------------------------ client command decoders (server side)

  /** GEN-TEXT-1 to GEN-TEXT-5, CL-CMD-1: total; the text entry point agrees; what decodes re-encodes. */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void classicCommandDecoder(byte[] frame) {
    DecodeResult<ClassicCommand> r = ClassicCommandDecoder.decode(frame);
    assertNotNull(r);
    Optional<String> text = strictUtf8(frame);
    if (text.isPresent()) {
      assertEquals(r, ClassicCommandDecoder.decode(text.get()), "the text entry point agrees with the bytes");
    } else {
      assertEquals(ErrorCode.INVALID_ENCODING, ((DecodeResult.Failure<?>) r).code());
    }
    // Arbitrary chars (lone surrogates, C1 controls) through the text entry point.
    assertNotNull(ClassicCommandDecoder.decode(new String(frame, ISO_8859_1)));
    assertNotNull(ClassicCommandDecoder.decode(new String(frame, java.nio.charset.StandardCharsets.UTF_16BE)));
    if (r.isSuccess()) {
      ClassicCommand c = r.value();
      byte[] again = ClassicCommandEncoder.encode(c.claimedName(), c.command());
      assertEquals(r, ClassicCommandDecoder.decode(Arrays.copyOf(again, again.length - 1)), "round trip");
    }
  }

  /** GEN-TEXT-1 to GEN-TEXT-5, MD-FRAME-2, MD-INVALID-1: total; text entry point agrees; round trip. */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void modernCommandDecoder(byte[] line) {
    DecodeResult<ClientCommand> r = ModernCommandDecoder.decode(line);
    assertNotNull(r);
    Optional<String> text = strictUtf8(line);
    if (text.isPresent()) {
      assertEquals(r, ModernCommandDecoder.decode(text.get()), "the text entry point agrees with the bytes");
    } else {
      assertEquals(ErrorCode.INVALID_ENCODING, ((DecodeResult.Failure<?>) r).code());
    }
    assertNotNull(ModernCommandDecoder.decode(new String(line, ISO_8859_1)));
    assertNotNull(ModernCommandDecoder.decode(new String(line, java.nio.charset.StandardCharsets.UTF_16BE)));
    if (r.isSuccess()) {
      byte[] again = ModernCommandEncoder.encode(r.value());
      assertEquals(r, ModernCommandDecoder.decode(Arrays.copyOf(again, again.length - 1)), "round trip");
    }
  }

  // ------------------------------------------------------------------ server message decoders (client side)

  /** CLIENT-1, CLIENT-3, MD-EVENT-1: total; a message is attributed to its first token; round trip. */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void modernServerMessageDecoder(byte[] line) {
    DecodeResult<ServerMessage> r = ModernServerMessageDecoder.decode(line);
    assertNotNull(r);
    assertNotNull(ModernServerMessageDecoder.decode(new String(line, ISO_8859_1)));
    assertNotNull(ModernServerMessageDecoder.decode(new String(line, java.nio.charset.StandardCharsets.UTF_16BE)));
    if (!r.isSuccess()) {
      return;
    }
    ServerMessage m = r.value();
    String text = new String(line, UTF_8);
    if (m instanceof Event.Message) {
      Event.Message msg = (Event.Message) m;
      String verb = msg.audience() == Audience.PRIVATE ? "PRIV " : "MSG ";
      assertTrue(text.startsWith(verb + msg.from()), "attributed to the name the line starts with");
    }
    boolean lossless = !(m instanceof Event.UserLeft && ((Event.UserLeft) m).reason() == LeaveReason.UNKNOWN);
    if (lossless) {
      assertEquals(m, ModernServerMessageDecoder.decode(ModernServerMessageEncoder.encodeToString(m)).value(),
          "round trip");
    }
  }

  /** CLIENT-1, CLIENT-3, CL-SFRAME-1, CL-LIST-2: total over a whole stream; messages keep their sender. */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void classicServerMessageDecoder(byte[] stream) {
    LineFramer framer = new LineFramer(4096);
    ClassicServerMessageDecoder decoder = new ClassicServerMessageDecoder();
    List<DecodeResult<ServerMessage>> out = new ArrayList<>();
    for (Frame f : framer.feed(stream)) {
      if (!(f instanceof Frame.Line)) {
        continue;
      }
      byte[] bytes = ((Frame.Line) f).bytes();
      int before = out.size();
      decoder.decode(bytes, out::add);
      String text = new String(bytes, UTF_8);
      String frame = text.startsWith("\r") ? text.substring(1) : text;
      for (DecodeResult<ServerMessage> r : out.subList(before, out.size())) {
        assertNotNull(r);
        if (r.isSuccess() && r.value() instanceof Event.Message) {
          Event.Message m = (Event.Message) r.value();
          assertTrue(frame.startsWith(m.from() + " says "), "attributed to the name the frame starts with");
          assertTrue(m.text().indexOf('\r') < 0 && m.text().indexOf('\n') < 0);
        }
      }
    }
    decoder.endOfBurst(out::add);
    assertTrue(!decoder.hasOpenList());
  }

  // ------------------------------------------------------------------ framers and dialect detection

  /** FR-LINE-1, FR-LINE-2, GEN-LINE-2: any chunking yields what a reference model yields, within bounds. */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void lineFramer(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int max = (input[0] & 63) + 1;
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);
    Chunker chunks = new Chunker(input[1], stream.length);
    LineFramer framer = new LineFramer(max);
    List<Frame> frames = new ArrayList<>();
    List<Integer> finishAt = new ArrayList<>();
    int pos = 0;
    while (pos < stream.length) {
      int n = chunks.next(stream.length - pos);
      framer.feed(ByteBuffer.wrap(stream, pos, n), frames::add);
      pos += n;
      assertTrue(framer.bufferedBytes() <= max + 1, "held " + framer.bufferedBytes() + " > max + 1");
      if (chunks.quietPeriod()) {
        framer.finishPartial().ifPresent(frames::add);
        finishAt.add(pos);
        assertEquals(0, framer.bufferedBytes());
      }
    }
    framer.finishPartial().ifPresent(frames::add);
    finishAt.add(stream.length);
    for (Frame f : frames) {
      if (f instanceof Frame.Line) {
        assertTrue(((Frame.Line) f).length() <= max, "frame longer than the maximum");
      } else {
        assertEquals(new Frame.TooLong(max), f);
      }
    }
    assertEquals(referenceFrames(stream, max, finishAt), frames);
  }

  /**
   * CL-FRAME-1, CL-FRAME-2, CL-FRAME-3, FR-LINE-2: any chunking and quiet periods; the classic framer
   * yields the line framer's frames, except that a merged login splits in two parts that join to it.
   */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void classicFramer(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int max = (input[0] & 63) + 1;
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);
    Chunker chunks = new Chunker(input[1], stream.length);
    ClassicFramer framer = new ClassicFramer(max);
    LineFramer lines = new LineFramer(max);
    List<Frame> classic = new ArrayList<>();
    List<Frame> plain = new ArrayList<>();
    int pos = 0;
    while (pos < stream.length) {
      int n = chunks.next(stream.length - pos);
      framer.feed(ByteBuffer.wrap(stream, pos, n), classic::add);
      lines.feed(ByteBuffer.wrap(stream, pos, n), plain::add);
      pos += n;
      assertTrue(framer.bufferedBytes() <= max + 1, "held " + framer.bufferedBytes() + " > max + 1");
      assertEquals(framer.hasPartial(), lines.hasPartial());
      if (chunks.quietPeriod()) {
        framer.quietPeriodElapsed(classic::add);
        lines.finishPartial().ifPresent(plain::add);
        assertEquals(0, framer.bufferedBytes());
      }
    }
    framer.endOfInput(classic::add);
    lines.finishPartial().ifPresent(plain::add);
    int c = 0;
    for (Frame p : plain) {
      Frame first = classic.get(c++);
      if (first.equals(p)) {
        continue;
      }
      byte[] whole = ((Frame.Line) p).bytes();
      byte[] login = ((Frame.Line) first).bytes();
      byte[] rest = ((Frame.Line) classic.get(c++)).bytes();
      assertArrayEquals(whole, concat(login, rest), "the two parts of a merged login join to the line");
      assertTrue(MERGED_LOGIN_HEAD.matcher(new String(login, ISO_8859_1)).matches(), "the first part is a login");
    }
    assertEquals(classic.size(), c, "no frames beyond the line framer's");
    for (Frame f : classic) {
      assertTrue(!(f instanceof Frame.Line) || ((Frame.Line) f).length() <= max, "frame longer than the maximum");
    }
  }

  /** GEN-DIALECT-1: total on any range; once decided, more bytes never change the decision. */
  @FuzzTest(maxDuration = FUZZ_DURATION)
  void dialectDetector(byte[] bytes) {
    Optional<Dialect> previous = Optional.empty();
    for (int length = 0; length <= bytes.length; length++) {
      Optional<Dialect> now = DialectDetector.detect(bytes, 0, length);
      if (previous.isPresent()) {
        assertEquals(previous, now, "the decision changed after " + length + " bytes");
      }
      previous = now;
      assertEquals(now.orElse(Dialect.CLASSIC), DialectDetector.detectFinal(bytes, 0, length));
    }
    if (bytes.length > 0) {
      int offset = (bytes[0] & 0xff) % bytes.length;
      assertNotNull(DialectDetector.detect(bytes, offset, bytes.length - offset));
    }
    assertEquals(previous, DialectDetector.detect(bytes));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The frames of FR-LINE-1 and GEN-LINE-2, stated simply: split at LF and at every quiet period; drop one
   * CR before the end; a segment longer than {@code max} after that is one TooLong, otherwise a Line (an
   * unterminated segment only if not empty).
   */
  static List<Frame> referenceFrames(byte[] stream, int max, List<Integer> finishAt) {
    List<Frame> out = new ArrayList<>();
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    int finish = 0;
    for (int i = 0; i <= stream.length; i++) {
      while (finish < finishAt.size() && finishAt.get(finish) == i) {
        if (segment.size() > 0) {
          out.add(segmentFrame(segment.toByteArray(), max));
        }
        segment.reset();
        finish++;
      }
      if (i == stream.length) {
        break;
      }
      if (stream[i] == '\n') {
        out.add(segmentFrame(segment.toByteArray(), max));
        segment.reset();
      } else {
        segment.write(stream[i]);
      }
    }
    return out;
  }

  private static Frame segmentFrame(byte[] raw, int max) {
    int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
    return length > max ? new Frame.TooLong(max) : new Frame.Line(Arrays.copyOf(raw, length));
  }

  private static Optional<String> strictUtf8(byte[] bytes) {
    try {
      return Optional.of(UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** Chunk sizes and quiet periods from one seed byte: a small deterministic generator (xorshift). */
  static final class Chunker {
    private int state;
    private final int length;

    Chunker(byte seed, int length) {
      this.state = (seed & 0xff) * 0x9E3779B1 | 1;
      this.length = length;
    }

    private int nextInt() {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0x7fffffff;
    }

    /** The next chunk size, 1 to {@code remaining}; mostly small, sometimes the whole rest. */
    int next(int remaining) {
      int r = nextInt();
      int size = (r & 7) == 0 ? remaining : 1 + (r >>> 3) % Math.max(1, Math.min(remaining, 1 + length / 4));
      return Math.min(size, remaining);
    }

    /** Whether the quiet period passes after this chunk (about one chunk in four). */
    boolean quietPeriod() {
      return (nextInt() & 3) == 0;
    }
  }
}
