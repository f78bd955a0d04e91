package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;

/** decode(encode(x)) == x, in both dialects and both directions, through the framers. */
@PropertyDefaults(tries = 300)
class CodecRoundTripProperties {

  @Provide
  Arbitrary<ClientCommand> commands() {
    return ProtocolArbitraries.commands();
  }

  @Provide
  Arbitrary<ClientCommand> classicCommands() {
    return ProtocolArbitraries.classicCommands();
  }

  @Provide
  Arbitrary<ServerMessage> serverMessages() {
    return ProtocolArbitraries.serverMessages();
  }

  @Provide
  Arbitrary<String> names() {
    return ProtocolArbitraries.names();
  }

  @Property
  @Label("MD-FRAME-2 section 6.2: every modern command survives encode, framing and decode")
  void modernCommands(@ForAll("commands") ClientCommand command) {
    List<Frame> frames = new LineFramer(ProtocolDefaults.MAX_LINE_LENGTH).feed(ModernCommandEncoder.encode(command));
    assertEquals(1, frames.size());
    DecodeResult<ClientCommand> decoded = ModernCommandDecoder.decode(((Frame.Line) frames.get(0)).bytes());
    assertEquals(DecodeResult.success(command), decoded);
  }

  @Property
  @Label("MD-REPLY-1 MD-EVENT-1: every modern reply and event survives encode, framing and decode")
  void modernServerMessages(@ForAll("serverMessages") ServerMessage message) {
    List<Frame> frames = ProtocolArbitraries.frames(ModernServerMessageEncoder.encode(message));
    assertEquals(1, frames.size());
    assertEquals(DecodeResult.success(message), ModernServerMessageDecoder.decode(((Frame.Line) frames.get(0)).bytes()));
  }

  @Property
  @Label("CL-CMD-1 section 5.2: every classic command survives, its texts whitespace-collapsed")
  void classicCommands(@ForAll("names") String sender, @ForAll("classicCommands") ClientCommand command) {
    List<Frame> frames = new ClassicFramer(ProtocolDefaults.MAX_LINE_LENGTH).feed(ClassicCommandEncoder.encode(sender, command));
    assertEquals(1, frames.size());
    DecodeResult<ClassicCommand> decoded = ClassicCommandDecoder.decode(((Frame.Line) frames.get(0)).bytes());
    assertEquals(DecodeResult.success(ProtocolArbitraries.classicProjection(sender, command)), decoded);
  }

  @Property
  @Label("CL-SFRAME-1 CL-SFRAME-2: every classic server frame decodes to what the classic wire keeps")
  void classicServerMessages(@ForAll("serverMessages") ServerMessage message) {
    byte[] bytes = ClassicServerMessageEncoder.encode(message);
    ServerMessage expected = ProtocolArbitraries.classicProjection(message);
    List<ServerMessage> decoded = decodeClassic(bytes);
    if (expected == null) {
      assertEquals(0, bytes.length, "a reply with no classic form writes nothing");
      assertTrue(decoded.isEmpty());
    } else {
      assertEquals(List.of(expected), decoded);
    }
  }

  @Property(tries = 100)
  @Label("CL-LIST-2: a sequence of classic frames decodes to the same sequence, lists ended by the next frame")
  void classicServerSequences(@ForAll @Size(max = 8) List<@From("serverMessages") ServerMessage> messages) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    List<ServerMessage> expected = new ArrayList<>();
    for (ServerMessage m : messages) {
      out.writeBytes(ClassicServerMessageEncoder.encode(m));
      ServerMessage p = ProtocolArbitraries.classicProjection(m);
      if (p != null) {
        expected.add(p);
      }
    }
    assertEquals(expected, decodeClassic(out.toByteArray()));
  }

  static List<ServerMessage> decodeClassic(byte[] bytes) {
    ClassicServerMessageDecoder decoder = new ClassicServerMessageDecoder();
    List<ServerMessage> out = new ArrayList<>();
    for (Frame f : ProtocolArbitraries.frames(bytes)) {
      decoder.decode(((Frame.Line) f).bytes(), r -> out.add(r.value()));
    }
    decoder.endOfBurst(r -> out.add(r.value()));
    return out;
  }
}
