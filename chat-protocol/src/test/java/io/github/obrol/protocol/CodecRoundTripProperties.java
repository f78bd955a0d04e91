package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.obrol.testkit.PropertyRuns;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** decode(encode(x)) == x, in both dialects and both directions, through the framers (QuickTheories). */
class CodecRoundTripProperties {
  private static final int EXAMPLES = 300;
  private final long seed = PropertyRuns.seed();

  @Test
  @DisplayName("MD-FRAME-2 section 6.2: every modern command survives encode, framing and decode")
  void modernCommands() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES).forAll(ProtocolGenerators.commands()).checkAssert(command -> {
      List<Frame> frames = new LineFramer(ProtocolDefaults.MAX_LINE_LENGTH).feed(ModernCommandEncoder.encode(command));
      assertEquals(1, frames.size());
      assertEquals(DecodeResult.success(command), ModernCommandDecoder.decode(((Frame.Line) frames.get(0)).bytes()));
    }));
  }

  @Test
  @DisplayName("MD-REPLY-1 MD-EVENT-1: every modern reply and event survives encode, framing and decode")
  void modernServerMessages() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES).forAll(ProtocolGenerators.serverMessages()).checkAssert(message -> {
      List<Frame> frames = ProtocolGenerators.frames(ModernServerMessageEncoder.encode(message));
      assertEquals(1, frames.size());
      assertEquals(DecodeResult.success(message), ModernServerMessageDecoder.decode(((Frame.Line) frames.get(0)).bytes()));
    }));
  }

  @Test
  @DisplayName("CL-CMD-1 section 5.2: every classic command survives, its texts whitespace-collapsed")
  void classicCommands() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES)
        .forAll(ProtocolGenerators.names(), ProtocolGenerators.classicCommands())
        .checkAssert((sender, command) -> {
          List<Frame> frames = new ClassicFramer(ProtocolDefaults.MAX_LINE_LENGTH).feed(ClassicCommandEncoder.encode(sender, command));
          assertEquals(1, frames.size());
          assertEquals(DecodeResult.success(ProtocolGenerators.classicProjection(sender, command)),
              ClassicCommandDecoder.decode(((Frame.Line) frames.get(0)).bytes()));
        }));
  }

  @Test
  @DisplayName("CL-SFRAME-1 CL-SFRAME-2: every classic server frame decodes to what the classic wire keeps")
  void classicServerMessages() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, EXAMPLES).forAll(ProtocolGenerators.serverMessages()).checkAssert(message -> {
      byte[] bytes = ClassicServerMessageEncoder.encode(message);
      ServerMessage expected = ProtocolGenerators.classicProjection(message);
      List<ServerMessage> decoded = decodeClassic(bytes);
      if (expected == null) {
        assertEquals(0, bytes.length, "a reply with no classic form writes nothing");
        assertTrue(decoded.isEmpty());
      } else {
        assertEquals(List.of(expected), decoded);
      }
    }));
  }

  @Test
  @DisplayName("CL-LIST-2: a sequence of classic frames decodes to the same sequence, lists ended by the next frame")
  void classicServerSequences() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, 100)
        .forAll(lists().of(ProtocolGenerators.serverMessages()).ofSizeBetween(0, 8))
        .checkAssert(messages -> {
          java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
          List<ServerMessage> expected = new ArrayList<>();
          for (ServerMessage m : messages) {
            out.writeBytes(ClassicServerMessageEncoder.encode(m));
            ServerMessage p = ProtocolGenerators.classicProjection(m);
            if (p != null) {
              expected.add(p);
            }
          }
          assertEquals(expected, decodeClassic(out.toByteArray()));
        }));
  }

  static List<ServerMessage> decodeClassic(byte[] bytes) {
    ClassicServerMessageDecoder decoder = new ClassicServerMessageDecoder();
    List<ServerMessage> out = new ArrayList<>();
    for (Frame f : ProtocolGenerators.frames(bytes)) {
      decoder.decode(((Frame.Line) f).bytes(), r -> out.add(r.value()));
    }
    decoder.endOfBurst(r -> out.add(r.value()));
    return out;
  }
}
