package io.github.obrol.server.internal;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.ClassicCommand;
import io.github.obrol.protocol.ClassicCommandDecoder;
import io.github.obrol.protocol.ClassicFramer;
import io.github.obrol.protocol.ClassicServerMessageEncoder;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.DecodeResult;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.DialectDetector;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Frame;
import io.github.obrol.protocol.LeaveReason;
import io.github.obrol.protocol.LineFramer;
import io.github.obrol.protocol.ModernServerMessageEncoder;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.Interception;
import io.github.obrol.server.MessageInterceptor;
import io.github.obrol.server.SessionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: detects its dialect, frames and decodes its commands, carries them out and
 * writes its replies and events. Everything but {@link #offer} runs on the connection's event loop.
 *
 * <p>Frames are processed one at a time in order (GEN-ORDER-1). While a hook decides (authenticator,
 * interceptors) the connection stops reading and queues the frames it already has. Events from other
 * connections arrive in a mailbox (see {@link Dispatch}) that is drained before every reply (GEN-ORDER-3).
 */
final class NettyConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
  /** Console lines like the original server's; silence this logger to drop them. */
  static final Logger console = LoggerFactory.getLogger("io.github.obrol.server.console");
  /** How long a connection closed by the server may take to write its last frame before it is cut. */
  private static final long CLOSE_GRACE_MILLIS = 2_000;
  private static final int MAX_DETECT_BYTES = 16;
  /** Most bytes of events copied into one buffer when a mailbox is drained. */
  private static final int DRAIN_CHUNK_BYTES = 16 * 1024;

  private final NettyChatServer server;
  private final long id;
  private final Instant connectedAt = Instant.now();
  private final Queue<byte[]> mailbox = new ConcurrentLinkedQueue<>();
  /** The events of one drain chunk; used on the event loop only. */
  private final List<byte[]> drainScratch = new ArrayList<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  private final byte[] head = new byte[MAX_DETECT_BYTES];
  private int headLength;

  private ChannelHandlerContext ctx;
  private Channel channel;
  private EventLoop loop;
  private InetSocketAddress remote;
  private volatile Dialect dialect;
  private volatile String name;
  private long loginSeq;
  /** Cleared when the connection departs or starts closing: nothing more is delivered to it. */
  private volatile boolean accepting = true;
  private LineFramer modernFramer;
  private ClassicFramer classicFramer;
  private TokenBucket bucket;
  private long framesSeen;
  private boolean busy;
  private boolean closing;
  private boolean departed;
  private boolean inputEnded;
  private boolean needsFlush;
  private ErrorCode refuseFirstFrame;
  private long lastReadNanos;
  private ScheduledFuture<?> loginTimer;
  private ScheduledFuture<?> quietTimer;
  private ScheduledFuture<?> idleTimer;
  /** Whether this connection counts against maxConnections; see {@link NettyChatServer#register}. */
  volatile boolean counted;

  NettyConnection(NettyChatServer server, long id) {
    this.server = server;
    this.id = id;
  }

  long id() {
    return id;
  }

  EventLoop eventLoop() {
    return loop;
  }

  io.netty.channel.ChannelFuture closeFuture() {
    return channel.closeFuture();
  }

  Dialect dialect() {
    return dialect;
  }

  String userName() {
    return name;
  }

  SessionInfo info() {
    InetSocketAddress address = remote != null ? remote : new InetSocketAddress(0);
    return new SessionInfo(id, address, connectedAt, Optional.ofNullable(dialect), Optional.ofNullable(name));
  }

  /** Called by {@link Registry#login} under its lock. */
  void loggedIn(String name, long seq) {
    this.name = name;
    this.loginSeq = seq;
  }

  /**
   * Appends an event to the mailbox (any thread); returns true if the caller must schedule a drain.
   */
  boolean offer(byte[] bytes) {
    if (!accepting) {
      return false;
    }
    mailbox.offer(bytes);
    return drainScheduled.compareAndSet(false, true);
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.channel = ctx.channel();
    this.loop = channel.eventLoop();
    this.remote = (InetSocketAddress) channel.remoteAddress();
    this.lastReadNanos = System.nanoTime();
    this.bucket = new TokenBucket(server.config().commandsPerSecond(), server.config().commandBurst(), lastReadNanos);
    if (!server.register(this)) {
      refuseFirstFrame = ErrorCode.SERVER_FULL;
    }
    console.info("Client {} connected", info().describeAddress());
    SessionInfo info = info();
    server.hooks().notify(o -> o.onConnect(info));
    loginTimer = loop.schedule(this::loginTimeout, server.config().loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    cancelTimers();
    depart(LeaveReason.DISCONNECTED, "");
    accepting = false;
    mailbox.clear();
    server.unregister(this);
    SessionInfo info = info();
    console.info("Client {} disconnected", info.describeAddress());
    server.hooks().notify(o -> o.onDisconnect(info));
    Dispatch.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Mostly "connection reset by peer": the close that follows makes the user depart.
    log.debug("connection {} failed", id, cause);
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      inputEnded = true;
      if (!closing) {
        if (dialect == null && headLength > 0) {
          decideDialect(DialectDetector.detectFinal(head, 0, headLength));
        }
        if (dialect == Dialect.CLASSIC) {
          classicFramer.endOfInput(frames::add); // CL-FRAME-2
        }
        processFrames();
        closeIfInputEnded();
      }
      endOfWork();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      if (closing) {
        return;
      }
      int n = buf.readableBytes();
      server.counters().bytesIn.add(n);
      lastReadNanos = System.nanoTime();
      ByteBuffer bytes = buf.nioBufferCount() == 1 ? buf.nioBuffer() : ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(buf));
      if (dialect == null) {
        while (dialect == null && bytes.hasRemaining()) {
          head[headLength++] = bytes.get();
          DialectDetector.detect(head, 0, headLength).ifPresent(this::decideDialect);
          if (dialect == null && headLength == head.length) {
            decideDialect(Dialect.CLASSIC); // cannot happen: no verb is this long
          }
        }
      }
      if (dialect != null) {
        feed(bytes);
      }
      processFrames();
      // Undecided, the head is a prefix of a modern verb (GEN-DIALECT-1): no quiet period applies
      // until its first token is complete; the login timeout bounds the wait.
      if (!closing && dialect == Dialect.CLASSIC && classicFramer.hasPartial()) {
        armQuietTimer();
      }
    } finally {
      buf.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    endOfWork();
  }

  private void decideDialect(Dialect d) {
    dialect = d;
    int max = server.config().maxLineLength();
    if (d == Dialect.CLASSIC) {
      classicFramer = new ClassicFramer(max);
    } else {
      modernFramer = new LineFramer(max);
    }
    if (refuseFirstFrame == null && !server.config().dialects().contains(d)) {
      refuseFirstFrame = ErrorCode.UNSUPPORTED_DIALECT;
    }
    long idle = idleNanos();
    if (idle > 0) {
      idleTimer = loop.schedule(this::idleCheck, idle, TimeUnit.NANOSECONDS);
    }
    feed(ByteBuffer.wrap(head, 0, headLength));
    headLength = 0;
  }

  private void feed(ByteBuffer bytes) {
    if (dialect == Dialect.CLASSIC) {
      classicFramer.feed(bytes, frames::add);
    } else {
      modernFramer.feed(bytes, frames::add);
    }
  }

  private void armQuietTimer() {
    if (quietTimer == null) {
      quietTimer = loop.schedule(this::quietCheck, server.config().classicQuietPeriod().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** CL-FRAME-2: no byte arrived for the quiet period, so the pending classic frame is complete. */
  private void quietCheck() {
    quietTimer = null;
    if (closing) {
      return;
    }
    long quiet = server.config().classicQuietPeriod().toNanos();
    long elapsed = System.nanoTime() - lastReadNanos;
    if (elapsed < quiet) {
      quietTimer = loop.schedule(this::quietCheck, quiet - elapsed, TimeUnit.NANOSECONDS);
      return;
    }
    if (dialect != Dialect.CLASSIC) {
      return;
    }
    classicFramer.quietPeriodElapsed(frames::add);
    processFrames();
    endOfWork();
  }

  private void processFrames() {
    while (!busy && !closing && !frames.isEmpty()) {
      Frame f = frames.poll();
      try {
        handle(f);
      } catch (RuntimeException e) {
        log.warn("connection {}: failed to process a frame", id, e);
        error(ErrorCode.INTERNAL_ERROR, "the server failed to process the frame");
      }
    }
    if (!busy && !channel.config().isAutoRead() && !closing) {
      channel.config().setAutoRead(true);
    }
    closeIfInputEnded();
  }

  private void closeIfInputEnded() {
    if (inputEnded && !busy && frames.isEmpty() && !closing) {
      closing = true;
      depart(LeaveReason.DISCONNECTED, "");
      drainMailbox();
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The end of every piece of work on this loop: hand over deliveries, flush this socket once. */
  private void endOfWork() {
    // This socket first: a slow-consumer verdict here may enqueue a leave notice that the dispatch hands over.
    flushIfNeeded();
    Dispatch.flush();
  }

  // ---------------------------------------------------------------- commands

  private void handle(Frame f) {
    server.counters().framesIn.increment();
    if (framesSeen++ == 0 && refuseFirstFrame != null) {
      if (dialect == Dialect.MODERN) {
        reply(new Reply.Error(refuseFirstFrame, describe(refuseFirstFrame)));
      }
      fatal(refuseFirstFrame, null, describe(refuseFirstFrame));
      return;
    }
    if (f instanceof Frame.TooLong) {
      server.counters().decodeErrors.increment();
      error(ErrorCode.LINE_TOO_LONG, "line longer than " + server.config().maxLineLength() + " bytes (expected: at most "
          + server.config().maxLineLength() + ")");
      return;
    }
    if (!bucket.tryAcquire(System.nanoTime())) {
      server.counters().rateLimited.increment();
      error(ErrorCode.RATE_LIMITED, "too many commands (expected: at most " + server.config().commandsPerSecond() + " per second)");
      return;
    }
    byte[] bytes = ((Frame.Line) f).bytes();
    if (dialect == Dialect.MODERN) {
      handleModern(bytes);
    } else {
      handleClassic(bytes);
    }
  }

  private void handleModern(byte[] bytes) {
    DecodeResult<ClientCommand> r = io.github.obrol.protocol.ModernCommandDecoder.decode(bytes);
    if (r instanceof DecodeResult.Failure) {
      DecodeResult.Failure<ClientCommand> fail = (DecodeResult.Failure<ClientCommand>) r;
      server.counters().decodeErrors.increment();
      error(fail.code(), fail.message());
      return;
    }
    ClientCommand cmd = r.value();
    if (cmd instanceof ClientCommand.Hello) {
      hello((ClientCommand.Hello) cmd);
    } else if (cmd instanceof ClientCommand.Ping) {
      reply(new Reply.PingOk(((ClientCommand.Ping) cmd).token()));
    } else if (cmd instanceof ClientCommand.Quit) {
      reply(new Reply.QuitOk());
      quit(((ClientCommand.Quit) cmd).reason());
    } else if (cmd instanceof ClientCommand.Login) {
      login(((ClientCommand.Login) cmd).name());
    } else if (name == null) {
      error(ErrorCode.NOT_LOGGED_IN, "log in first (expected: LOGIN <name>)"); // MD-AUTH-1
    } else {
      userCommand(cmd);
    }
  }

  private void handleClassic(byte[] bytes) {
    DecodeResult<ClassicCommand> r = ClassicCommandDecoder.decode(bytes);
    if (r instanceof DecodeResult.Failure) {
      DecodeResult.Failure<ClassicCommand> fail = (DecodeResult.Failure<ClassicCommand>) r;
      if (fail.code() == ErrorCode.INVALID_COMMAND && name == null) {
        error(ErrorCode.NOT_LOGGED_IN, "log in first"); // CL-AUTH-2: every frame but a login
      } else {
        server.counters().decodeErrors.increment();
        error(fail.code(), fail.message());
      }
      return;
    }
    ClassicCommand cc = r.value();
    ClientCommand cmd = cc.command();
    if (cmd instanceof ClientCommand.Login) {
      login(((ClientCommand.Login) cmd).name());
    } else if (name == null) {
      error(ErrorCode.NOT_LOGGED_IN, "log in first"); // CL-AUTH-2
    } else if (!cc.claimedName().equals(name)) {
      error(ErrorCode.NAME_MISMATCH, "frame claims " + cc.claimedName() + " (expected: " + name + ")"); // CL-AUTH-1
    } else if (cmd instanceof ClientCommand.Quit) {
      quit(((ClientCommand.Quit) cmd).reason()); // CL-QUIT-1
    } else {
      userCommand(cmd);
    }
  }

  private void hello(ClientCommand.Hello hello) {
    if (framesSeen != 1) {
      error(ErrorCode.INVALID_COMMAND, "HELLO is allowed as the first line only"); // MD-HELLO-2
      return;
    }
    if (!hello.versions().contains(ProtocolDefaults.VERSION)) {
      String text = "this server speaks " + ProtocolDefaults.VERSION + " only";
      reply(new Reply.Error(ErrorCode.UNSUPPORTED_VERSION, text));
      fatal(ErrorCode.UNSUPPORTED_VERSION, null, text);
      return;
    }
    Map<String, String> caps = new LinkedHashMap<>();
    caps.put("maxline", Integer.toString(server.config().maxLineLength()));
    caps.put("maxname", Integer.toString(ProtocolDefaults.MAX_NAME_LENGTH));
    caps.put("idle", Long.toString(ceilSeconds(server.config().idleTimeout().toNanos())));
    caps.put("server", NettyChatServer.SERVER_ID);
    reply(new Reply.HelloOk(ProtocolDefaults.VERSION, caps));
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  private void login(String wanted) {
    if (name != null) {
      error(ErrorCode.ALREADY_LOGGED_IN, "logged in as " + name + " already"); // CL-LOGIN-3, MD-LOGIN-2
      return;
    }
    if (server.registry().isTaken(wanted)) {
      nameTaken();
      return;
    }
    if (server.config().authenticator() == io.github.obrol.server.Authenticator.ACCEPT_ALL) {
      completeLogin(wanted);
      return;
    }
    SessionInfo info = info();
    suspend();
    server.hooks().<Boolean>callAsync(
        () -> server.config().authenticator().authenticate(info, wanted),
        loop,
        (accepted, failure) -> {
          resume(() -> {
            if (failure != null) {
              log.warn("authenticator failed for {}: {}", wanted, failure.toString());
            }
            if (failure == null && Boolean.TRUE.equals(accepted)) {
              completeLogin(wanted);
            } else {
              server.counters().loginsRejected.increment();
              error(ErrorCode.LOGIN_REJECTED, failure instanceof java.util.concurrent.TimeoutException
                  ? "the authenticator did not decide in time" : "the server refused the login");
            }
          });
        });
  }

  private void completeLogin(String wanted) {
    if (!server.registry().login(this, wanted, new Event.UserJoined(wanted))) {
      nameTaken();
      return;
    }
    server.counters().loginsAccepted.increment();
    if (loginTimer != null) {
      loginTimer.cancel(false);
      loginTimer = null;
    }
    reply(new Reply.LoginOk(wanted)); // classic: no frame (CL-LOGIN-2)
    SessionInfo info = info();
    console.info("Client {} logged in as {}", info.describeAddress(), wanted);
    server.hooks().notify(o -> o.onJoin(info));
  }

  private void nameTaken() {
    server.counters().loginsRejected.increment();
    if (dialect == Dialect.CLASSIC) {
      // CL-LOGIN-2: alone in one TCP write, because the original client compares a whole read with it.
      drainMailbox();
      flushIfNeeded();
      error(ErrorCode.NAME_TAKEN, "");
      flushIfNeeded();
    } else {
      error(ErrorCode.NAME_TAKEN, "the name is in use");
    }
  }

  private void userCommand(ClientCommand cmd) {
    if (cmd instanceof ClientCommand.ListUsers) {
      reply(new Reply.UserList(server.registry().names()));
    } else if (cmd instanceof ClientCommand.SendAll) {
      message(new InboundMessage(InboundMessage.Kind.BROADCAST, name, "", ((ClientCommand.SendAll) cmd).text()));
    } else if (cmd instanceof ClientCommand.SendTo) {
      ClientCommand.SendTo s = (ClientCommand.SendTo) cmd;
      message(new InboundMessage(InboundMessage.Kind.PRIVATE, name, s.recipient(), s.text()));
    } else {
      error(ErrorCode.INVALID_COMMAND, "unexpected command");
    }
  }

  private void message(InboundMessage m) {
    List<MessageInterceptor> interceptors = server.config().interceptors();
    if (interceptors.isEmpty()) {
      deliver(m);
      return;
    }
    suspend();
    server.hooks().<Interception>callAsync(
        () -> java.util.concurrent.CompletableFuture.completedFuture(Interceptors.run(interceptors, m)),
        loop,
        (decision, failure) -> resume(() -> {
          if (failure != null || decision == null) {
            log.warn("interceptor failed: {}", String.valueOf(failure));
            error(ErrorCode.INTERNAL_ERROR, "the server failed to process the message");
          } else if (decision instanceof Interception.Veto) {
            Interception.Veto v = (Interception.Veto) decision;
            error(v.code(), v.text());
          } else if (decision instanceof Interception.Rewrite) {
            String text = ((Interception.Rewrite) decision).text();
            if (!Interceptors.isSendable(text)) {
              log.warn("interceptor rewrote a message to an invalid text");
              error(ErrorCode.INTERNAL_ERROR, "the server failed to process the message");
            } else {
              deliver(m.withText(text));
            }
          } else {
            deliver(m);
          }
        }));
  }

  private void deliver(InboundMessage m) {
    Registry registry = server.registry();
    if (m.kind() == InboundMessage.Kind.BROADCAST) {
      int n = registry.deliver(new Event.Message(name, m.text(), Audience.BROADCAST), registry.users(), this);
      reply(new Reply.SendAllOk());
      notifyMessage(m, n);
    } else {
      NettyConnection to = registry.find(m.recipient());
      if (to == null) {
        error(ErrorCode.NO_SUCH_USER, "no user named " + m.recipient() + " is logged in");
        return;
      }
      int n = registry.deliver(new Event.Message(name, m.text(), Audience.PRIVATE), List.of(to), null);
      String toName = to.userName();
      reply(new Reply.SendToOk(toName != null ? toName : m.recipient()));
      notifyMessage(m, n);
    }
  }

  private void notifyMessage(InboundMessage m, int n) {
    if (server.hooks().hasObservers()) {
      server.hooks().notify(o -> o.onMessage(m, n));
    }
  }

  private void quit(String reason) {
    closing = true;
    depart(LeaveReason.QUIT, reason);
    drainMailbox();
    accepting = false;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    needsFlush = false;
  }

  /** Stops processing and reading while a hook decides. */
  private void suspend() {
    busy = true;
    channel.config().setAutoRead(false);
  }

  /** Continues after a hook decided (on the loop). */
  private void resume(Runnable then) {
    busy = false;
    if (!closing) {
      then.run();
      processFrames();
    }
    endOfWork();
  }

  // ---------------------------------------------------------------- timeouts and closing

  private void loginTimeout() {
    loginTimer = null;
    if (!closing && name == null) {
      fatal(ErrorCode.LOGIN_TIMEOUT, LeaveReason.TIMEOUT, "no login within " + server.config().loginTimeout().toSeconds() + " s");
      endOfWork();
    }
  }

  private long idleNanos() {
    return (dialect == Dialect.CLASSIC ? server.config().classicIdleTimeout() : server.config().idleTimeout()).toNanos();
  }

  private void idleCheck() {
    idleTimer = null;
    if (closing) {
      return;
    }
    long idle = idleNanos();
    long elapsed = System.nanoTime() - lastReadNanos;
    if (elapsed < idle) {
      idleTimer = loop.schedule(this::idleCheck, idle - elapsed, TimeUnit.NANOSECONDS);
      return;
    }
    fatal(ErrorCode.IDLE_TIMEOUT, LeaveReason.TIMEOUT, "nothing received for " + ceilSeconds(idle) + " s");
    endOfWork();
  }

  /** Admin: disconnects with KICKED (on the loop). */
  void kick(String reason) {
    if (!closing) {
      fatal(ErrorCode.KICKED, LeaveReason.KICKED, reason);
    }
    endOfWork();
  }

  /** Server shutdown: SHUTTING_DOWN, no leave notice (GEN-LEAVE-2). On the loop. */
  void shutdown() {
    if (!closing) {
      fatal(ErrorCode.SHUTTING_DOWN, LeaveReason.SHUTDOWN, "the server is shutting down");
    }
    endOfWork();
  }

  /**
   * Ends the connection for a fatal reason of the server's own: pending events first, then the fatal frame
   * (modern {@code BYE}, MD-BYE-1; classic error text), then close.
   */
  private void fatal(ErrorCode code, LeaveReason reason, String text) {
    if (closing) {
      return;
    }
    closing = true;
    cancelTimers();
    channel.config().setAutoRead(false);
    frames.clear();
    if (reason != null) {
      depart(reason, code == ErrorCode.KICKED ? text : "");
    } else {
      depart(LeaveReason.DISCONNECTED, "");
    }
    if (code != ErrorCode.SLOW_CONSUMER) {
      drainMailbox();
    }
    accepting = false;
    mailbox.clear();
    SessionInfo info = info();
    server.hooks().notify(o -> o.onError(info, code, text));
    writeFrame(dialect == Dialect.CLASSIC || dialect == null
        ? ClassicServerMessageEncoder.encode(new Event.Bye(code, text))
        : ModernServerMessageEncoder.encode(new Event.Bye(code, safeText(text, code))));
    needsFlush = false;
    ctx.flush();
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    // A client that does not read may never let the frame out: cut it after a grace period.
    loop.schedule(() -> {
      if (channel.isOpen()) {
        channel.close();
      }
    }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static String safeText(String text, ErrorCode code) {
    return text == null || text.isBlank() ? code.classicText() : text.replace('\r', ' ').replace('\n', ' ');
  }

  private static String describe(ErrorCode code) {
    if (code == ErrorCode.SERVER_FULL) {
      return "the server has as many connections as it allows";
    }
    return code.classicText();
  }

  /** The user departs (once): its name is freed, then the others are told (GEN-NAME-5, GEN-LEAVE-1). */
  private void depart(LeaveReason reason, String detail) {
    if (departed) {
      return;
    }
    departed = true;
    String n = name;
    if (n == null) {
      return;
    }
    ServerMessage leave = server.isShuttingDown() ? null : new Event.UserLeft(n, reason, detail == null ? "" : detail);
    server.registry().depart(this, n, loginSeq, leave);
    name = null;
    SessionInfo info = new SessionInfo(id, remote, connectedAt, Optional.ofNullable(dialect), Optional.of(n));
    console.info("Client {} {} left ({})", info.describeAddress(), n, reason);
    server.hooks().notify(o -> o.onLeave(info, reason));
  }

  private void cancelTimers() {
    if (loginTimer != null) {
      loginTimer.cancel(false);
      loginTimer = null;
    }
    if (quietTimer != null) {
      quietTimer.cancel(false);
      quietTimer = null;
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  // ---------------------------------------------------------------- writing

  private void reply(ServerMessage m) {
    drainMailbox(); // GEN-ORDER-3: events queued for this connection go before the reply
    byte[] bytes = dialect == Dialect.CLASSIC ? ClassicServerMessageEncoder.encode(m) : ModernServerMessageEncoder.encode(m);
    if (bytes.length > 0) {
      writeFrame(bytes);
    }
  }

  private void error(ErrorCode code, String text) {
    String t = text == null || text.isBlank() ? code.classicText() : text;
    reply(new Reply.Error(code, t.replace('\r', ' ').replace('\n', ' ')));
    if (server.hooks().hasObservers()) {
      SessionInfo info = info();
      server.hooks().notify(o -> o.onError(info, code, t));
    }
  }

  private void writeFrame(byte[] bytes) {
    ctx.write(Unpooled.wrappedBuffer(bytes), ctx.voidPromise());
    server.counters().framesOut.increment();
    server.counters().bytesOut.add(bytes.length);
    needsFlush = true;
  }

  /**
   * Writes every queued event, without flushing. Events are copied into direct buffers of up to {@link
   * #DRAIN_CHUNK_BYTES}, one write per buffer rather than per event: an event is tens of bytes, and a
   * buffer per event would cost a wrapper, an outbound-buffer entry and the transport's own copy to direct
   * memory for each. Buffers are sized exactly, so what waits for a slow reader is what it was sent.
   */
  private void drainMailbox() {
    byte[] b;
    long frames = 0;
    long bytes = 0;
    while ((b = mailbox.poll()) != null) {
      int size = 0;
      do {
        drainScratch.add(b);
        size += b.length;
      } while (size < DRAIN_CHUNK_BYTES && (b = mailbox.poll()) != null);
      int count = drainScratch.size();
      ByteBuf chunk = ctx.alloc().directBuffer(size, size);
      for (int i = 0; i < count; i++) {
        chunk.writeBytes(drainScratch.get(i));
      }
      drainScratch.clear();
      // A failed write (the channel closed) may re-enter this method through exceptionCaught: the scratch
      // list is free again before the write.
      ctx.write(chunk, ctx.voidPromise());
      frames += count;
      bytes += size;
    }
    if (frames > 0) {
      server.counters().framesOut.add(frames);
      server.counters().bytesOut.add(bytes);
      needsFlush = true;
    }
  }

  /** A drain task from {@link Dispatch} (on this loop): write the mailbox and flush once. */
  void drainFromTask() {
    drainScheduled.set(false);
    if (ctx == null) {
      return;
    }
    drainMailbox();
    flushIfNeeded();
  }

  private void flushIfNeeded() {
    if (!needsFlush) {
      return;
    }
    needsFlush = false;
    ctx.flush();
    if (!closing && channel.isActive() && !channel.isWritable()) {
      // GEN-LIMIT-5: more than maxOutboundBytes wait for a client that does not read.
      server.counters().slowConsumers.increment();
      fatal(ErrorCode.SLOW_CONSUMER, LeaveReason.SLOW_CONSUMER, "the client does not read fast enough");
    }
  }
}
