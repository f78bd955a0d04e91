package io.github.obrol.server.internal;

import io.github.obrol.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty adapter of one {@link Session}: hands it the bytes read, schedules its deadline, writes what it
 * writes, decides when to read, and closes the channel. It holds no protocol rule; what it measures itself
 * is the transport: bytes waiting to be sent, whether the peer takes them (GEN-LIMIT-8), and the one close
 * path with its forced-close deadline (GEN-LIMIT-11).
 *
 * <p>Reading stops while the session cannot take input (a hook or the router decides, the rate limit, the
 * per-turn frame budget: the rest of a read is held and handed again after yielding the loop), while the
 * connection's own unsent bytes are over the high-water mark, and after it routed a message while some
 * recipient that is still reading is over the high-water mark (producer backpressure, {@link
 * Backpressure}).
 */
final class NettyConnection extends ChannelInboundHandlerAdapter implements Session.Link {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
  /** How long a connection the server closes may take to take its last bytes before it is cut (GEN-LIMIT-11). */
  static final long CLOSE_GRACE_MILLIS = 2_000;
  /** Most bytes of frames copied into one buffer. */
  private static final int WRITE_CHUNK = 16 * 1024;
  /**
   * A burst (thousands of JOIN notices while others log in) grows {@link #pendingOut} to hundreds of entries;
   * {@code clear()} would keep that array for the connection's life, about a kilobyte per idle connection.
   */
  private static final int KEEP_PENDING_AT_MOST = 32;
  /** How often a connection over the high-water mark is checked for progress. */
  static final long PROGRESS_CHECK_NANOS = 100_000_000L;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final NettyChatServer server;
  private final long id;
  /** Frees this connection's anonymous slot of its source address (GEN-LIMIT-10); idempotent. */
  private final Runnable leftAnonymity;
  private Session session;
  private ChannelHandlerContext ctx;
  private Channel channel;
  private EventLoop loop;
  private Dispatch.Inbox inbox;
  private InetSocketAddress remote;

  private ByteBuf held;
  private boolean sessionWaits;
  private boolean pumpScheduled;

  /** Frames written since the last copy into a buffer; copied in chunks so that a buffer is not one frame. */
  /** Frames gathered for one write; replaced after a burst grew it (see {@link #KEEP_PENDING_AT_MOST}). */
  private ArrayList<byte[]> pendingOut = new ArrayList<>();
  private int pendingOutBytes;
  private boolean needsFlush;
  /** Bytes handed to the channel so far; minus what it still holds, what the socket took. */
  private long enqueuedBytes;

  private ScheduledFuture<?> timer;
  private long timerAt;
  private boolean closeStarted;
  private ScheduledFuture<?> forcedClose;

  private boolean congested;
  private long lastProgressAt;
  private long lastWritten;
  private ScheduledFuture<?> progressTimer;
  private boolean waitingForRecipients;
  private long routedSeen;
  /** Whether this connection counts against maxConnections; see {@link NettyChatServer#register}. */
  volatile boolean counted;

  NettyConnection(NettyChatServer server, long id, Runnable leftAnonymity) {
    this.server = server;
    this.id = id;
    this.leftAnonymity = leftAnonymity;
  }

  @Override
  public void loggedIn() {
    leftAnonymity.run();
  }

  long id() {
    return id;
  }

  EventLoop eventLoop() {
    return loop;
  }

  /** Where other loops hand this connection over to its own ({@link Dispatch}). */
  Dispatch.Inbox inbox() {
    return inbox;
  }

  io.netty.channel.ChannelFuture closeFuture() {
    return channel.closeFuture();
  }

  Session session() {
    return session;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.channel = ctx.channel();
    this.loop = channel.eventLoop();
    this.inbox = server.inbox(loop);
    this.remote = (InetSocketAddress) channel.remoteAddress();
    ErrorCode refuse = server.register(this);
    long now = System.nanoTime();
    TokenBucket bucket = server.addressLimits().commandBucket(remote != null ? remote.getAddress() : null, now);
    session = new Session(server.sessionContext(), this, id, remote, Instant.now(), bucket, refuse);
    session.opened();
    reschedule();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeStarted = true;
    cancel(timer);
    cancel(forcedClose);
    leaveCongested();
    server.backpressure().forget(this);
    releaseHeld();
    pendingOut.clear();
    pendingOutBytes = 0;
    if (session != null) {
      session.disconnected();
    }
    server.unregister(this);
    Dispatch.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Mostly "connection reset by peer": closing makes the user depart (channelInactive).
    log.debug("connection {} failed", id, cause);
    forceClose();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == TlsDetector.PLAIN_TEXT) {
      return; // TLS-1: the session is plain text until told otherwise
    }
    if (evt instanceof SslHandshakeCompletionEvent handshake) {
      if (handshake.isSuccess()) {
        session.secured(tlsInfo(ctx)); // TLS-1: before the first decrypted byte reaches the session
      }
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      session.endOfInput();
      if (!pumpScheduled) {
        pump(false);
      }
      endOfWork();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /** The connection's TLS session as the API shows it; the peer certificate only if one was verified (TLS-5). */
  private static io.github.obrol.server.TlsInfo tlsInfo(ChannelHandlerContext ctx) {
    SSLSession s = ctx.pipeline().get(SslHandler.class).engine().getSession();
    java.util.Optional<X509Certificate> peer = java.util.Optional.empty();
    try {
      Certificate[] chain = s.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        peer = java.util.Optional.of(x);
      }
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate: fine (TLS-5)
    }
    return new io.github.obrol.server.TlsInfo(s.getProtocol(), s.getCipherSuite(), peer);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    if (closeStarted || session.isClosed()) {
      buf.release();
      return;
    }
    if (held != null) {
      // Reading was paused while a read was under way: keep the bytes, in order.
      session.touched(System.nanoTime(), buf.readableBytes());
      ByteBuf merged = ctx.alloc().buffer(held.readableBytes() + buf.readableBytes());
      merged.writeBytes(held).writeBytes(buf);
      held.release();
      buf.release();
      held = merged;
      return;
    }
    held = buf;
    pump(true);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    endOfWork();
  }

  /** Hands the session the held bytes (or none) and decides whether to read on. */
  private void pump(boolean fresh) {
    pumpScheduled = false;
    if (closeStarted) {
      releaseHeld();
      return;
    }
    Session.Input r;
    if (held != null) {
      ByteBuffer nio = held.nioBufferCount() == 1 ? held.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(held));
      int start = nio.position();
      r = session.receive(nio, fresh);
      if (held != null) {
        held.skipBytes(nio.position() - start);
        if (!held.isReadable()) {
          releaseHeld();
        }
      }
    } else {
      r = session.receive(EMPTY, false);
    }
    sessionWaits = r == Session.Input.WAIT;
    if (r == Session.Input.YIELD) {
      schedulePump(); // GEN-LIMIT-9: let the loop serve the others first
    }
    long routed = session.routedMessages();
    if (routed != routedSeen) {
      routedSeen = routed;
      if (!closeStarted && server.backpressure().active()) {
        waitingForRecipients = true; // GEN-LIMIT-8: a recipient that reads is behind; slow this producer
        server.backpressure().await(this);
      }
    }
    updateReading();
  }

  private void schedulePump() {
    if (pumpScheduled) {
      return;
    }
    pumpScheduled = true;
    try {
      loop.execute(() -> {
        if (pumpScheduled) {
          pump(false);
          endOfWork();
        }
      });
    } catch (RejectedExecutionException e) {
      pumpScheduled = false;
    }
  }

  @Override
  public void inputReady() {
    schedulePump();
  }

  private void updateReading() {
    if (channel == null) {
      return;
    }
    boolean want = !closeStarted && held == null && !sessionWaits && !waitingForRecipients && channel.isWritable();
    if (channel.config().isAutoRead() != want) {
      channel.config().setAutoRead(want);
      if (!closeStarted) {
        // The session must not count our pause as the client's silence (CL-FRAME-2): a quiet period that ran
        // meanwhile would end a classic line whose rest waits, unread, in the kernel.
        session.readingPaused(!want, System.nanoTime());
        if (want) {
          reschedule();
        }
      }
    }
  }

  /** Called by {@link Backpressure} (any thread) when no recipient that reads is over the high-water mark. */
  void recipientsCaughtUp() {
    try {
      loop.execute(() -> {
        waitingForRecipients = false;
        updateReading();
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  // ---------------------------------------------------------------- time

  private void reschedule() {
    if (closeStarted) {
      return;
    }
    long now = System.nanoTime();
    long d = session.nanosUntilDeadline(now);
    if (d < 0) {
      // No deadline any more (logged in, idle timeout off): drop the login timer rather than keep a task and a
      // slot in the loop's queue per idle connection until it fires for nothing.
      cancel(timer);
      timer = null;
      return;
    }
    long at = now + d;
    if (timer != null && timerAt - at <= 0) {
      return; // an earlier wake-up comes anyway and reschedules
    }
    cancel(timer);
    timerAt = at;
    timer = loop.schedule(this::onTimer, d, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    timer = null;
    if (closeStarted) {
      return;
    }
    session.onTimer(System.nanoTime());
    if (!pumpScheduled) {
      pump(false);
    }
    endOfWork();
  }

  /** The end of every piece of work on this loop: flush this socket once, hand over deliveries, re-arm the timer. */
  private void endOfWork() {
    flushIfNeeded();
    Dispatch.flush();
    reschedule();
  }

  // ---------------------------------------------------------------- admin

  /** Server shutdown (on the loop). */
  void shutdown() {
    if (session != null) {
      session.shutdown();
    }
    endOfWork();
  }

  /** A drain task from {@link Dispatch} (on this loop): write the mailbox and flush once. */
  void drainFromTask() {
    if (session == null) {
      return;
    }
    session.drainTask();
    flushIfNeeded();
  }

  // ---------------------------------------------------------------- writing (Session.Link)

  @Override
  public void write(byte[] frame) {
    if (ctx == null || forcedCloseDone()) {
      return;
    }
    pendingOut.add(frame);
    pendingOutBytes += frame.length;
    needsFlush = true;
    if (pendingOutBytes >= WRITE_CHUNK) {
      emit();
    }
  }

  @Override
  public void writeAlone(byte[] frame) {
    emit();
    ctx.flush();
    enqueuedBytes += frame.length;
    ctx.write(Unpooled.wrappedBuffer(frame), ctx.voidPromise());
    ctx.flush();
    needsFlush = false;
    afterFlush();
  }

  @Override
  public void flush() {
    endOfWork(); // also hands over what this work queued for others (leave notices of a kick, for example)
  }

  @Override
  public void scheduleDrain() {
    if (loop.inEventLoop() || server.onOwnLoop()) {
      Dispatch.enqueue(this); // handed over by this thread's Dispatch.flush() at the end of its work
      return;
    }
    // Any other thread (the Router contract allows offers from any thread: a cluster router's own threads)
    // never flushes a Dispatch: queued there, the drain would be lost and the mailbox stall for good.
    try {
      loop.execute(this::drainFromTask);
    } catch (RejectedExecutionException e) {
      // The loop is shutting down: the connection is being closed anyway.
    }
  }

  @Override
  public Executor executor() {
    return loop;
  }

  /** Copies the pending frames into one exactly sized buffer and writes it (not flushed). */
  private void emit() {
    int size = pendingOutBytes;
    if (size == 0) {
      return;
    }
    ByteBuf chunk = ctx.alloc().directBuffer(size, size);
    for (int i = 0, n = pendingOut.size(); i < n; i++) {
      chunk.writeBytes(pendingOut.get(i));
    }
    if (pendingOut.size() > KEEP_PENDING_AT_MOST) {
      pendingOut = new ArrayList<>();
    } else {
      pendingOut.clear();
    }
    pendingOutBytes = 0;
    enqueuedBytes += size;
    // A failed write (the channel closed) may re-enter through exceptionCaught: the list is free again before it.
    ctx.write(chunk, ctx.voidPromise());
  }

  private void flushIfNeeded() {
    if (!needsFlush || ctx == null) {
      return;
    }
    needsFlush = false;
    emit();
    ctx.flush();
    afterFlush();
  }

  /** Bytes the channel holds that the socket has not taken yet. */
  private long pendingBytes() {
    ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
    return ob == null ? 0 : ob.totalPendingWriteBytes();
  }

  private void afterFlush() {
    if (!channel.isActive() || closeStarted) {
      return;
    }
    if (pendingBytes() > server.hardOutboundBytes()) {
      // GEN-LIMIT-8: over the hard bound, whatever its progress.
      session.slowConsumer();
      flushIfNeeded();
      return;
    }
    if (!channel.isWritable()) {
      enterCongested();
      updateReading();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable()) {
      leaveCongested();
    } else {
      enterCongested();
    }
    updateReading();
    ctx.fireChannelWritabilityChanged();
  }

  // ---------------------------------------------------------------- slow consumer (GEN-LIMIT-8)

  private void enterCongested() {
    if (congested || closeStarted) {
      return;
    }
    congested = true;
    lastProgressAt = System.nanoTime();
    lastWritten = enqueuedBytes - pendingBytes();
    server.backpressure().progressing(this, true);
    progressTimer = loop.schedule(this::checkProgress, PROGRESS_CHECK_NANOS, TimeUnit.NANOSECONDS);
  }

  private void checkProgress() {
    progressTimer = null;
    if (!congested || closeStarted) {
      return;
    }
    long now = System.nanoTime();
    long written = enqueuedBytes - pendingBytes();
    if (written != lastWritten) {
      lastWritten = written;
      lastProgressAt = now;
      server.backpressure().progressing(this, true);
    } else if (now - lastProgressAt >= PROGRESS_CHECK_NANOS) {
      // Not reading: it no longer holds producers back; it is cut if it stays so.
      server.backpressure().progressing(this, false);
    }
    if (now - lastProgressAt >= server.slowConsumerTimeoutNanos()) {
      session.slowConsumer();
      flushIfNeeded();
      Dispatch.flush();
      return;
    }
    if (channel.isWritable()) {
      leaveCongested();
      updateReading();
      return;
    }
    progressTimer = loop.schedule(this::checkProgress, PROGRESS_CHECK_NANOS, TimeUnit.NANOSECONDS);
  }

  private void leaveCongested() {
    if (!congested) {
      return;
    }
    congested = false;
    cancel(progressTimer);
    progressTimer = null;
    server.backpressure().progressing(this, false);
  }

  // ---------------------------------------------------------------- closing (the one close path)

  @Override
  public void close() {
    if (closeStarted || ctx == null) {
      return;
    }
    closeStarted = true;
    cancel(timer);
    releaseHeld();
    leaveCongested();
    server.backpressure().forget(this);
    emit();
    needsFlush = false;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    // A client that does not read may never let the last bytes out: cut it after the grace period.
    forcedClose = loop.schedule(this::forceClose, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    updateReading();
  }

  private boolean forcedCloseDone() {
    return channel != null && !channel.isOpen();
  }

  /** Closes at once: the forced-close deadline, or a failed socket. */
  private void forceClose() {
    closeStarted = true;
    if (channel != null && channel.isOpen()) {
      channel.close();
    }
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
