package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Framing does not depend on chunking, never holds more than the limit, and never throws. */
@PropertyDefaults(tries = 300)
class FramingProperties {
  private static final int MAX = 16;

  /** Streams rich in the bytes that matter to framing: LF, CR, space, and 's'/'a' for merged logins. */
  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<Byte> interesting = Arbitraries.of((byte) '\n', (byte) '\r', (byte) ' ', (byte) 'a', (byte) 's', (byte) 0);
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, any))
        .list()
        .ofMaxSize(120)
        .map(list -> {
          byte[] b = new byte[list.size()];
          for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
          }
          return b;
        });
  }

  @Property
  @Label("FR-LINE-1 CL-FRAME-1 MD-FRAME-1: a LineFramer yields the same frames however the stream is chunked")
  void lineFramerIgnoresChunking(@ForAll("streams") byte[] stream, @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 120) Integer> cuts) {
    assertEquals(frames(new LineFramer(MAX), stream, List.of()), frames(new LineFramer(MAX), stream, cuts));
  }

  @Property
  @Label("CL-FRAME-1 CL-FRAME-3: a ClassicFramer yields the same frames however the stream is chunked")
  void classicFramerIgnoresChunking(@ForAll("streams") byte[] stream, @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 120) Integer> cuts) {
    assertEquals(classicFrames(stream, List.of()), classicFrames(stream, cuts));
  }

  @Property
  @Label("FR-LINE-2 GEN-LINE-2 GEN-LIMIT-6: arbitrary bytes never make framing or decoding throw or hold more than the limit")
  void arbitraryBytesAreHarmless(@ForAll("streams") byte[] stream, @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 120) Integer> cuts) {
    LineFramer framer = new LineFramer(MAX);
    ClassicServerMessageDecoder classicServer = new ClassicServerMessageDecoder();
    for (ByteBuffer chunk : chunks(stream, cuts)) {
      framer.feed(chunk, frame -> {
        if (frame instanceof Frame.Line) {
          byte[] line = ((Frame.Line) frame).bytes();
          assertTrue(line.length <= MAX, "a frame longer than the limit: " + line.length);
          ModernCommandDecoder.decode(line);
          ClassicCommandDecoder.decode(line);
          ModernServerMessageDecoder.decode(line);
          classicServer.decode(line);
          DialectDetector.detect(line);
        }
      });
      assertTrue(framer.bufferedBytes() <= MAX + 1, "held " + framer.bufferedBytes() + " bytes (expected: <= " + (MAX + 1) + ")");
    }
    framer.finishPartial();
    classicServer.endOfBurst();
  }

  @Property
  @Label("GEN-LINE-2: an overlong frame is reported exactly once and the next frame is framed normally")
  void overlongReportedOnce(@ForAll @IntRange(min = MAX + 1, max = 200) int length, @ForAll @IntRange(min = 1, max = 40) int chunk) {
    byte[] stream = ("x".repeat(length) + "\nnext\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    List<Integer> cuts = new ArrayList<>();
    for (int i = chunk; i < stream.length; i += chunk) {
      cuts.add(i);
    }
    List<Frame> frames = frames(new LineFramer(MAX), stream, cuts);
    assertEquals(List.of(new Frame.TooLong(MAX), new Frame.Line("next".getBytes(java.nio.charset.StandardCharsets.US_ASCII))), frames);
  }

  static List<Frame> frames(LineFramer framer, byte[] stream, List<Integer> cuts) {
    List<Frame> out = new ArrayList<>();
    for (ByteBuffer chunk : chunks(stream, cuts)) {
      framer.feed(chunk, out::add);
    }
    return out;
  }

  static List<Frame> classicFrames(byte[] stream, List<Integer> cuts) {
    ClassicFramer framer = new ClassicFramer(MAX);
    List<Frame> out = new ArrayList<>();
    for (ByteBuffer chunk : chunks(stream, cuts)) {
      framer.feed(chunk, out::add);
    }
    framer.endOfInput(out::add);
    return out;
  }

  static List<ByteBuffer> chunks(byte[] stream, List<Integer> cuts) {
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) {
      points.add(Math.min(c, stream.length));
    }
    points.sort(null);
    List<ByteBuffer> chunks = new ArrayList<>();
    int start = 0;
    for (int p : points) {
      chunks.add(ByteBuffer.wrap(stream, start, p - start).slice());
      start = p;
    }
    chunks.add(ByteBuffer.wrap(stream, start, stream.length - start).slice());
    return chunks;
  }
}
