package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.testkit.PropertyRuns;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Framing does not depend on chunking, never holds more than the limit, and decoding never throws (QuickTheories). */
class FramingProperties {
  private static final int MAX = 16;
  private static final int EXAMPLES = 300;
  private final long seed = PropertyRuns.seed();

  @Test
  @DisplayName("FR-LINE-1 CL-FRAME-1 MD-FRAME-1: a LineFramer yields the same frames however the stream is chunked")
  void lineFramerIgnoresChunking() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES)
        .forAll(ProtocolGenerators.streams(120), ProtocolGenerators.cuts(120))
        .checkAssert((stream, cuts) ->
            assertEquals(frames(new LineFramer(MAX), stream, List.of()), frames(new LineFramer(MAX), stream, cuts))));
  }

  @Test
  @DisplayName("CL-FRAME-1 CL-FRAME-3: a ClassicFramer yields the same frames however the stream is chunked")
  void classicFramerIgnoresChunking() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES)
        .forAll(ProtocolGenerators.streams(120), ProtocolGenerators.cuts(120))
        .checkAssert((stream, cuts) -> assertEquals(classicFrames(stream, List.of()), classicFrames(stream, cuts))));
  }

  @Test
  @DisplayName("FR-LINE-2 GEN-LINE-2 GEN-LIMIT-6: arbitrary bytes never make framing or decoding throw or hold more than the limit")
  void arbitraryBytesAreHarmless() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES)
        .forAll(ProtocolGenerators.streams(120), ProtocolGenerators.cuts(120))
        .checkAssert((stream, cuts) -> {
          LineFramer framer = new LineFramer(MAX);
          ClassicServerMessageDecoder classicServer = new ClassicServerMessageDecoder();
          for (ByteBuffer chunk : chunks(stream, cuts)) {
            framer.feed(chunk, frame -> {
              if (frame instanceof Frame.Line) {
                byte[] line = ((Frame.Line) frame).bytes();
                assertTrue(line.length <= MAX, "a frame longer than the limit: " + line.length);
                decodeEverywhere(line, classicServer);
              }
            });
            assertTrue(framer.bufferedBytes() <= MAX + 1, "held " + framer.bufferedBytes() + " bytes (expected: <= " + (MAX + 1) + ")");
          }
          framer.finishPartial();
          classicServer.endOfBurst();
        }));
  }

  @Test
  @DisplayName("decoders are total: any byte string, of any byte values, decodes to a value or a failure, never an exception")
  void decodersAreTotal() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, 1000)
        .forAll(Generate.byteArrays(Generate.range(0, 64), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
            .describedAs(java.util.Arrays::toString))
        .checkAssert(line -> {
          ClassicServerMessageDecoder classicServer = new ClassicServerMessageDecoder();
          decodeEverywhere(line, classicServer);
          classicServer.endOfBurst();
        }));
  }

  private static void decodeEverywhere(byte[] line, ClassicServerMessageDecoder classicServer) {
    assertResult(ModernCommandDecoder.decode(line));
    assertResult(ClassicCommandDecoder.decode(line));
    assertResult(ModernServerMessageDecoder.decode(line));
    classicServer.decode(line, DecodeResultAssert::present);
    DialectDetector.detect(line);
  }

  private static void assertResult(DecodeResult<?> result) {
    DecodeResultAssert.present(result);
  }

  /** A decode result is either a success with a value or a failure with an error code. */
  private static final class DecodeResultAssert {
    static void present(DecodeResult<?> result) {
      assertTrue(result != null, "a decoder returned null");
      if (result.isSuccess()) {
        assertTrue(result.value() != null, "a success without a value");
      } else {
        assertTrue(((DecodeResult.Failure<?>) result).code() != null, "a failure without a code");
      }
    }
  }

  @Test
  @DisplayName("GEN-LINE-2: an overlong frame is reported exactly once and the next frame is framed normally")
  void overlongReportedOnce() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES)
        .forAll(Generate.range(MAX + 1, 200), Generate.range(1, 40))
        .checkAssert((length, chunk) -> {
          byte[] stream = ("x".repeat(length) + "\nnext\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          List<Integer> cuts = new ArrayList<>();
          for (int i = chunk; i < stream.length; i += chunk) {
            cuts.add(i);
          }
          List<Frame> frames = frames(new LineFramer(MAX), stream, cuts);
          assertEquals(List.of(new Frame.TooLong(MAX), new Frame.Line("next".getBytes(java.nio.charset.StandardCharsets.US_ASCII))), frames);
        }));
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
