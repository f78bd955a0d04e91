package io.github.obrol.benchmarks.load.internal;

import io.github.obrol.benchmarks.load.Wire;
import io.github.obrol.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One load-generator connection: a receiver (counts deliveries), a sender (sends, ignores deliveries), a
 * stalled receiver (stops reading once ready) or an idle member (holds a login). Splits what it reads into
 * lines in place, without copying: a delivery is recognised by the wire's message prefix followed by the
 * {@link Payload} marker; every other line is a control line (login reply, barrier reply, error).
 *
 * <p>{@link #ready()} completes once the connection has logged in (or subscribed) and its barrier reply has
 * arrived, so every join caused by earlier logins has reached it (GEN-ORDER-3).
 */
public final class BenchConnection extends ByteToMessageDecoder {
  /** What this connection does in the run. */
  public enum Role {
    RECEIVER,
    SENDER,
    STALLED,
    IDLE
  }

  private static final byte[] MODERN_MSG = ascii("MSG ");
  private static final byte[] MODERN_ERR = ascii("ERR ");
  private static final byte[] MODERN_BYE = ascii("BYE ");
  private static final byte[] MODERN_PONG = ascii("OK PING sync");
  private static final byte[] MODERN_LOGIN_OK = ascii("OK LOGIN ");
  private static final byte[] CLASSIC_BARRIER = ascii("\rinvalid command");
  private static final byte[] CLASSIC_SAYS = ascii("says ");
  /** The protocol's error codes but {@code INVALID_COMMAND}, whose reply is the classic barrier's. */
  private static final ErrorCode[] CLASSIC_ERROR_CODES =
      Arrays.stream(ErrorCode.values()).filter(c -> c != ErrorCode.INVALID_COMMAND).toArray(ErrorCode[]::new);
  /** Their classic frames (section 5.4), {@code "\r<text>"}, in the same order. */
  private static final byte[][] CLASSIC_ERRORS =
      Arrays.stream(CLASSIC_ERROR_CODES).map(c -> ascii("\r" + c.classicText())).toArray(byte[][]::new);

  private final Wire wire;
  private final Role role;
  private final String name;
  private final DeliveryTracker tracker;
  private final ErrorLog errors;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile long lastReadNanos;
  private final Payload.Header header = new Payload.Header();
  private volatile Channel channel;
  private volatile CompletableFuture<Void> nextBarrier;
  private boolean loggedIn;
  private ScheduledFuture<?> barrierRetry;
  private int barrierAttempts;
  private final long barrierRetryMillis;

  /**
   * @param barrierRetryMillis resend the barrier after this long without its reply, 0 never: a server that
   *     frames by read boundaries (the original) may merge it with the login into one frame
   */
  public BenchConnection(Wire wire, Role role, String name, DeliveryTracker tracker, ErrorLog errors, long barrierRetryMillis) {
    this.wire = wire;
    this.role = role;
    this.name = name;
    this.tracker = tracker;
    this.errors = errors;
    this.barrierRetryMillis = barrierRetryMillis;
  }

  /** Completes when the connection has joined the audience and seen every earlier join. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** A future for the reply to the next barrier request, which the caller sends after this call. */
  public CompletableFuture<Void> rearm() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    nextBarrier = f;
    return f;
  }

  /** The user name (or, for Redis, a label). */
  public String name() {
    return name;
  }

  /** The role. */
  public Role role() {
    return role;
  }

  /** The channel, once active. */
  public Channel channel() {
    return channel;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    if (role == Role.SENDER && !wire.sendersLogIn()) {
      ready.complete(null);
    } else {
      ctx.write(Unpooled.wrappedBuffer(wire.login(name)));
      sendBarrier(ctx);
    }
    ctx.flush();
    super.channelActive(ctx);
  }

  private void sendBarrier(ChannelHandlerContext ctx) {
    byte[] barrier = wire.barrier(name);
    if (barrier == null) {
      return;
    }
    ctx.write(Unpooled.wrappedBuffer(barrier));
    if (barrierRetryMillis > 0 && barrierAttempts++ < 50) {
      barrierRetry =
          ctx.executor()
              .schedule(
                  () -> {
                    if (!ready.isDone()) {
                      sendBarrier(ctx);
                      ctx.flush();
                    }
                  },
                  barrierRetryMillis,
                  TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (barrierRetry != null) {
      barrierRetry.cancel(false);
    }
    IllegalStateException early = new IllegalStateException(name + ": connection closed before it was ready");
    ready.completeExceptionally(early);
    CompletableFuture<Void> next = nextBarrier;
    if (next != null) {
      next.completeExceptionally(early);
    }
    errors.closed(role, name);
    closed.complete(null);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    errors.error(name, "exception: " + cause);
    ready.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int end = in.writerIndex();
    int start = in.readerIndex();
    long received = tracker.now();
    while (start < end) {
      int lf = in.forEachByte(start, end - start, ByteProcessor.FIND_LF);
      if (lf < 0) {
        break;
      }
      int lineEnd = lf > start && in.getByte(lf - 1) == '\r' && wire == Wire.REDIS ? lf - 1 : lf;
      line(in, start, lineEnd, received);
      start = lf + 1;
    }
    in.readerIndex(start);
    if (in.readableBytes() > 2 * 1024 * 1024) {
      errors.error(name, "line longer than 2 MiB");
      in.skipBytes(in.readableBytes());
    }
  }

  private void line(ByteBuf in, int start, int end, long received) {
    int payload = payloadStart(in, start, end);
    if (payload >= 0) {
      if (role == Role.RECEIVER && Payload.parse(in, payload, end, header)) {
        tracker.delivered(header.id, header.stamp, header.sender, received);
      }
      return;
    }
    switch (wire) {
      case MODERN:
        if (startsWith(in, start, end, MODERN_PONG)) {
          becomeReady();
        } else if (startsWith(in, start, end, MODERN_LOGIN_OK)) {
          loggedIn = true;
        } else if (startsWith(in, start, end, MODERN_ERR) || startsWith(in, start, end, MODERN_BYE)) {
          String text = in.toString(start, end - start, StandardCharsets.UTF_8);
          errors.error(name, text);
          if (!loggedIn && text.startsWith("ERR ")) {
            ready.completeExceptionally(new IllegalStateException(name + ": " + text));
          }
        }
        break;
      case CLASSIC:
        if (startsWith(in, start, end, CLASSIC_BARRIER)) {
          becomeReady();
        } else if (end > start && in.getByte(start) == '\r') {
          for (int i = 0; i < CLASSIC_ERRORS.length; i++) {
            if (startsWith(in, start, end, CLASSIC_ERRORS[i])) {
              String text = in.toString(start + 1, end - start - 1, StandardCharsets.UTF_8);
              errors.error(name, text);
              ErrorCode code = CLASSIC_ERROR_CODES[i];
              if (!ready.isDone() && (code == ErrorCode.NAME_TAKEN || code == ErrorCode.INVALID_NAME)) {
                ready.completeExceptionally(new IllegalStateException(name + ": " + text));
              }
              break;
            }
          }
        }
        break;
      default:
        if (end > start) {
          byte first = in.getByte(start);
          if (first == ':' && role != Role.SENDER) {
            becomeReady(); // the subscription count that ends SUBSCRIBE's confirmation
          } else if (first == '-') {
            errors.error(name, in.toString(start, end - start, StandardCharsets.UTF_8));
          }
        }
        break;
    }
  }

  private void becomeReady() {
    CompletableFuture<Void> next = nextBarrier;
    if (next != null && ready.isDone()) {
      nextBarrier = null;
      next.complete(null);
    }
    if (!ready.isDone()) {
      if (barrierRetry != null) {
        barrierRetry.cancel(false);
      }
      ready.complete(null);
      if (role == Role.STALLED) {
        stall();
      }
    }
  }

  /**
   * From now on this client reads nothing, until {@link #resumeReading()}. The decoder is swapped for a
   * handler that only counts and drops bytes, because a decoder that produced nothing asks for the next read
   * itself when auto-read is off.
   */
  private void stall() {
    channel.config().setAutoRead(false);
    channel.eventLoop().execute(() -> channel.pipeline().replace(this, "stalled", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        ReferenceCountUtil.release(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        errors.closed(role, name);
        closed.complete(null);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }
    }));
  }

  /**
   * A stalled client reads again, dropping what it reads: a server's close is seen only once the data queued
   * before it has been read, as the close comes after that data on the wire.
   */
  public void resumeReading() {
    lastReadNanos = System.nanoTime();
    channel.config().setAutoRead(true);
  }

  /** When this connection last read, in {@link System#nanoTime()} terms (stalled clients only). */
  public long lastReadNanos() {
    return lastReadNanos;
  }

  /** Completes when the connection has closed. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** Where the payload of a delivery line starts, or -1 if the line is not a delivery. */
  private int payloadStart(ByteBuf in, int start, int end) {
    switch (wire) {
      case MODERN:
        if (!startsWith(in, start, end, MODERN_MSG)) {
          return -1;
        }
        int space = in.indexOf(start + 4, end, (byte) ' ');
        return space < 0 ? -1 : marker(in, space + 1, end);
      case CLASSIC:
        if (end <= start || in.getByte(start) != '\r') {
          return -1;
        }
        int afterName = in.indexOf(start + 1, end, (byte) ' ');
        if (afterName < 0 || !startsWith(in, afterName + 1, end, CLASSIC_SAYS)) {
          return -1;
        }
        return marker(in, afterName + 1 + CLASSIC_SAYS.length, end);
      default:
        return marker(in, start, end);
    }
  }

  private static int marker(ByteBuf in, int index, int end) {
    return index < end && in.getByte(index) == Payload.MARKER ? index : -1;
  }

  private static boolean startsWith(ByteBuf in, int start, int end, byte[] prefix) {
    if (end - start < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (in.getByte(start + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
