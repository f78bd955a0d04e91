package io.github.obrol.benchmarks;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.ClassicCommand;
import io.github.obrol.protocol.ClassicCommandDecoder;
import io.github.obrol.protocol.ClassicCommandEncoder;
import io.github.obrol.protocol.ClassicFramer;
import io.github.obrol.protocol.ClassicServerMessageDecoder;
import io.github.obrol.protocol.ClassicServerMessageEncoder;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.DecodeResult;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.LineFramer;
import io.github.obrol.protocol.ModernCommandDecoder;
import io.github.obrol.protocol.ModernCommandEncoder;
import io.github.obrol.protocol.ModernServerMessageDecoder;
import io.github.obrol.protocol.ModernServerMessageEncoder;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.protocol.ServerMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec core on its own, per dialect and direction: what a server pays per inbound command and per
 * broadcast it encodes (once, whatever the number of recipients), and what framing costs per byte.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CodecBenchmarks}. Results are operations per
 * microsecond; {@code frame*} operations process one 64 KiB buffer of lines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmarks {
  /** Bytes of message text. */
  @Param({"32", "512"})
  public int payloadBytes;

  private Event.Message message;
  private byte[] modernCommand;
  private byte[] classicCommand;
  private byte[] modernEvent;
  private byte[] classicEvent;
  private byte[] modernStream;
  private byte[] classicStream;

  @Setup
  public void setUp() {
    StringBuilder text = new StringBuilder(payloadBytes);
    for (int i = 0; text.length() < payloadBytes; i++) {
      text.append(i % 7 == 6 ? ' ' : (char) ('a' + i % 26));
    }
    String t = text.toString().trim();
    message = new Event.Message("alice", t, Audience.BROADCAST);
    modernCommand = strip(ModernCommandEncoder.encode(new ClientCommand.SendAll(t)));
    classicCommand = strip(ClassicCommandEncoder.encode("alice", new ClientCommand.SendAll(t)));
    modernEvent = strip(ModernServerMessageEncoder.encode(message));
    classicEvent = strip(ClassicServerMessageEncoder.encode(message));
    modernStream = repeat(ModernCommandEncoder.encode(new ClientCommand.SendAll(t)), 64 * 1024);
    classicStream = repeat(ClassicCommandEncoder.encode("alice", new ClientCommand.SendAll(t)), 64 * 1024);
  }

  @Benchmark
  public byte[] encodeModernEvent() {
    return ModernServerMessageEncoder.encode(message);
  }

  @Benchmark
  public byte[] encodeClassicEvent() {
    return ClassicServerMessageEncoder.encode(message);
  }

  @Benchmark
  public DecodeResult<ClientCommand> decodeModernCommand() {
    return ModernCommandDecoder.decode(modernCommand);
  }

  @Benchmark
  public DecodeResult<ClassicCommand> decodeClassicCommand() {
    return ClassicCommandDecoder.decode(classicCommand);
  }

  @Benchmark
  public DecodeResult<ServerMessage> decodeModernEvent() {
    return ModernServerMessageDecoder.decode(modernEvent);
  }

  @Benchmark
  public void decodeClassicEvent(Blackhole bh) {
    new ClassicServerMessageDecoder().decode(classicEvent, bh::consume);
  }

  @Benchmark
  public void frameModernStream(Blackhole bh) {
    new LineFramer(ProtocolDefaults.MAX_LINE_LENGTH).feed(ByteBuffer.wrap(modernStream), bh::consume);
  }

  @Benchmark
  public void frameClassicStream(Blackhole bh) {
    new ClassicFramer(ProtocolDefaults.MAX_LINE_LENGTH).feed(ByteBuffer.wrap(classicStream), bh::consume);
  }

  private static byte[] strip(byte[] withTerminator) {
    int end = withTerminator.length - 1;
    byte[] frame = new byte[end];
    System.arraycopy(withTerminator, 0, frame, 0, end);
    return frame;
  }

  private static byte[] repeat(byte[] line, int atLeast) {
    int copies = (atLeast + line.length - 1) / line.length;
    byte[] out = new byte[copies * line.length];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(line, 0, out, i * line.length, line.length);
    }
    return out;
  }

}
