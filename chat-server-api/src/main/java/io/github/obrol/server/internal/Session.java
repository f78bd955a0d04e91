package io.github.obrol.server.internal;

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
import io.github.obrol.protocol.ModernCommandDecoder;
import io.github.obrol.protocol.ModernServerMessageEncoder;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import io.github.obrol.server.AuthAttempt;
import io.github.obrol.server.Authenticator;
import io.github.obrol.server.CredentialVerifier;
import io.github.obrol.server.Credentials;
import io.github.obrol.server.ScramCredential;
import io.github.obrol.server.TlsInfo;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.Interception;
import io.github.obrol.server.MessageInterceptor;
import io.github.obrol.server.SessionInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one connection, without any transport type: bytes, end of input and time
 * go in; replies and events (written to a {@link Link}), messages routed through a {@link Router}, a
 * reading demand and a close decision come out. Every method but {@link #offer} and {@link #kick} runs on
 * the connection's loop ({@link Link#executor()}), one at a time.
 *
 * <p>What it does: dialect detection (GEN-DIALECT-1), framing with the protocol's framers (FR-LINE-1,
 * CL-FRAME-1..3), the quiet period, login, idle and server-full timers as deadlines the transport schedules
 * ({@link #nanosUntilDeadline}, {@link #onTimer}), every command rule of both dialects, hooks (the session
 * stops taking input while one decides, GEN-ORDER-1), the command rate limit by not taking input
 * (GEN-LIMIT-9), a bound of frames handled per turn, the over-long-garbage budget (GEN-LINE-5) and the cut
 * of an oversized user list (GEN-LINE-6). Events from other sessions wait in a mailbox that is written before
 * every reply (GEN-ORDER-3).
 */
final class Session implements Member {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  /** Console lines like the original server's; silence this logger to drop them. */
  static final Logger console = LoggerFactory.getLogger("io.github.obrol.server.console");
  /** Most frames handled in one turn before the session yields the loop (GEN-LIMIT-9). */
  static final int FRAMES_PER_TURN = 64;
  /** Bytes handed to the framer at a time, so that one read does not turn into thousands of queued frames. */
  static final int FEED_SLICE = 2048;
  /** Bytes of over-long lines in a row after which the connection is closed (GEN-LINE-5). */
  static final long MAX_DISCARDED_BYTES = 1 << 20;
  /** Time an over-limit connection is kept before it is told SERVER_FULL unasked (GEN-LIMIT-7). */
  static final long SERVER_FULL_GRACE_NANOS = 1_000_000_000L;
  /** Longest modern user list line, LF included (GEN-LINE-3, GEN-LINE-6). */
  static final int MAX_LIST_FRAME = ProtocolDefaults.MAX_SERVER_FRAME_LENGTH;
  private static final int MAX_DETECT_BYTES = 16;
  /** At most one stack trace per this many nanoseconds for frames that make the server fail, server-wide. */
  private static final long TRACE_INTERVAL_NANOS = 10_000_000_000L;
  private static final AtomicLong lastTraceNanos = new AtomicLong(Long.MIN_VALUE);

  /** What the session asks of the transport after taking input. */
  enum Input {
    /** Every byte was taken; read more. */
    MORE,
    /** The turn's frame budget is spent: yield the loop, then hand the rest of the bytes again. */
    YIELD,
    /** Waiting (a hook, the router, the rate limit): keep the bytes and stop reading until {@link Link#inputReady()}. */
    WAIT
  }

  /** The transport side of a session: bytes out, reading, close. Called on the session's loop. */
  interface Link {
    /** Appends a frame (reply, event or closing frame) to what is written next, in order. */
    void write(byte[] frame);

    /** Writes everything pending, then {@code frame} in a TCP write of its own (CL-LOGIN-2). */
    void writeAlone(byte[] frame);

    /** Flushes what was written, and hands over what the session queued for others; the end of a piece of work. */
    void flush();

    /** The one close path: write what is pending, then close; a forced-close deadline cuts a peer that does not read. */
    void close();

    /** The session can take input again after {@link Input#WAIT}; hand it the held bytes on the loop. */
    void inputReady();

    /** The mailbox became non-empty (any thread): call {@link Session#drainTask()} on the loop soon. */
    void scheduleDrain();

    /** The session's loop. */
    Executor executor();

    /** The session logged in (its connection no longer counts as anonymous, GEN-LIMIT-10). */
    default void loggedIn() {}
  }

  /** What every session of a server shares. */
  record Context(ChatServer config, Router router, Hooks hooks, Metrics metrics, LongSupplier clock,
      BooleanSupplier shuttingDown, AuthThrottle authThrottle) {
    Context(ChatServer config, Router router, Hooks hooks, Metrics metrics, LongSupplier clock,
        BooleanSupplier shuttingDown) {
      this(config, router, hooks, metrics, clock, shuttingDown, new AuthThrottle(clock));
    }
  }

  private final Context cx;
  private final ChatServer config;
  private final Router router;
  private final Link link;
  private final long id;
  private final InetSocketAddress remote;
  private final Instant connectedAt;
  private final long startNanos;
  private final TokenBucket bucket;
  private ErrorCode refuseFirstFrame;
  private final Mailbox mailbox = new Mailbox();
  /** Writes one event from the mailbox; one object per session rather than a lambda per drain. */
  private final Consumer<byte[]> eventOut = this::eventOut;
  /** Small: it holds the frames of one read at most ({@link #FRAMES_PER_TURN}) and grows if it must; most hold one. */
  private final ArrayDeque<Frame> frames = new ArrayDeque<>(4);
  private final Consumer<Frame> sink = this::frameOut;
  private final byte[] head = new byte[MAX_DETECT_BYTES];
  private int headLength;

  private volatile Dialect dialect;
  private volatile String name;
  /** Cleared when the session departs or starts closing: nothing more is queued to it. */
  private volatile boolean accepting = true;
  private LineFramer modernFramer;
  private ClassicFramer classicFramer;
  private long framesSeen;
  private long lastInputNanos;
  private boolean waiting;
  private boolean inCall;
  private boolean rateWait;
  private long rateResumeAt;
  private boolean inputHeld;
  /**
   * The transport has stopped reading from the connection (backpressure, the rate limit, its own output
   * congested): the client's silence is not measured meanwhile (CL-FRAME-2, GEN-LIMIT-2).
   */
  private boolean readingPaused;
  private boolean inputEnded;
  private boolean inputFinished;
  private boolean closed;
  private boolean departed;
  private boolean loggedInOnce;
  private long discardRun;
  private boolean discardExceeded;
  private boolean failureLogged;
  private long routed;
  /** The connection's TLS session; null while plain text (TLS-1). */
  private TlsInfo tls;
  /** The account a successful AUTH proved; null before (AUTH-4). */
  private String account;
  /** Bytes of the drain under way; on the loop only. */
  private long drainedBytes;

  Session(Context cx, Link link, long id, InetSocketAddress remote, Instant connectedAt, TokenBucket bucket,
      ErrorCode refuseFirstFrame) {
    this.cx = cx;
    this.config = cx.config();
    this.router = cx.router();
    this.link = link;
    this.id = id;
    this.remote = remote != null ? remote : new InetSocketAddress(0);
    this.connectedAt = connectedAt;
    this.startNanos = cx.clock().getAsLong();
    this.lastInputNanos = startNanos;
    this.bucket = bucket;
    this.refuseFirstFrame = refuseFirstFrame;
  }

  // ---------------------------------------------------------------- Member

  @Override
  public long id() {
    return id;
  }

  @Override
  public Dialect dialect() {
    return dialect;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean offer(byte[] encodedEvent) {
    if (!accepting) {
      return false;
    }
    Mailbox.Offer o = mailbox.offer(encodedEvent);
    if (o == Mailbox.Offer.QUEUED_DRAIN_NEEDED) {
      link.scheduleDrain();
    }
    return o != Mailbox.Offer.REFUSED;
  }

  @Override
  public void kick(String reason) {
    try {
      link.executor().execute(() -> {
        fatal(ErrorCode.KICKED, LeaveReason.KICKED, reason);
        link.flush();
      });
    } catch (RejectedExecutionException e) {
      // The loop is shutting down: the connection is being closed anyway.
    }
  }

  @Override
  public Executor executor() {
    return link.executor();
  }

  @Override
  public boolean accepting() {
    return accepting;
  }

  @Override
  public void shutDown(String text) {
    try {
      link.executor().execute(() -> {
        fatal(ErrorCode.SHUTTING_DOWN, LeaveReason.SHUTDOWN, text);
        link.flush();
      });
    } catch (RejectedExecutionException e) {
      // The loop is shutting down: the connection is being closed anyway.
    }
  }

  // ---------------------------------------------------------------- state for the transport and the server

  SessionInfo info() {
    return new SessionInfo(id, remote, connectedAt, Optional.ofNullable(dialect), Optional.ofNullable(name));
  }

  /** The command bucket, for the per-address memory (GEN-LIMIT-10). */
  TokenBucket bucket() {
    return bucket;
  }

  /** Whether the session decided to close (or the connection ended). */
  boolean isClosed() {
    return closed;
  }

  /** How many messages (broadcasts, private messages) this session routed so far; for producer backpressure. */
  long routedMessages() {
    return routed;
  }

  /** The connection was accepted. */
  void opened() {
    console.info("Client {} connected", info().describeAddress());
    if (cx.hooks().hasObservers()) {
      SessionInfo info = info();
      cx.hooks().notify(o -> o.onConnect(info));
    }
  }

  // ---------------------------------------------------------------- input

  /**
   * Takes bytes ({@code fresh}: just received, rather than held back from an earlier call) and handles the
   * frames they complete, up to {@link #FRAMES_PER_TURN}. Consumes what it takes from {@code chunk}; the
   * transport keeps the rest and hands it again after {@link Input#YIELD} or {@link Link#inputReady()}.
   */
  Input receive(ByteBuffer chunk, boolean fresh) {
    long now = cx.clock().getAsLong();
    if (fresh && chunk.hasRemaining()) {
      lastInputNanos = now;
      cx.metrics().bytesIn.add(chunk.remaining());
    }
    int budget = FRAMES_PER_TURN;
    try {
      while (true) {
        if (closed) {
          chunk.position(chunk.limit());
          return Input.MORE;
        }
        while (!frames.isEmpty()) {
          if (waiting || rateWait) {
            return Input.WAIT;
          }
          if (budget == 0) {
            return Input.YIELD;
          }
          Frame f = frames.peek();
          if (f instanceof Frame.Line && !bucket.tryAcquire(now)) {
            // GEN-LIMIT-9: over the rate, stop taking input until a token is due (TCP backpressure).
            rateWait = true;
            rateResumeAt = now + Math.max(1, bucket.nanosUntilToken(now));
            cx.metrics().rateLimited.increment();
            return Input.WAIT;
          }
          frames.poll();
          budget--;
          handleSafely(f);
          if (closed) {
            chunk.position(chunk.limit());
            return Input.MORE;
          }
        }
        if (waiting || rateWait) {
          return Input.WAIT;
        }
        if (discardExceeded) {
          closeWith(ErrorCode.LINE_TOO_LONG, LeaveReason.DISCONNECTED,
              "more than " + MAX_DISCARDED_BYTES + " bytes of over-long lines in a row");
          continue;
        }
        if (chunk.hasRemaining()) {
          consume(chunk);
          continue;
        }
        if (inputEnded && !inputFinished) {
          finishInput();
          continue;
        }
        if (inputFinished) {
          closeAfterEndOfInput();
        }
        return Input.MORE;
      }
    } finally {
      inputHeld = chunk.hasRemaining();
    }
  }

  /** Bytes arrived that the transport holds for a later {@link #receive} (reading was paused meanwhile). */
  void touched(long now, int bytes) {
    lastInputNanos = now;
    cx.metrics().bytesIn.add(bytes);
  }

  /**
   * The transport stopped ({@code paused}) or resumed reading from the connection. While it does not read, the
   * rest of a classic line may wait in the kernel: neither the quiet period nor the idle timeout runs, and both
   * start anew when reading resumes, so that the server's own pause never ends a line or a connection
   * (CL-FRAME-2, GEN-LIMIT-2). The transport re-arms its timer afterwards.
   */
  void readingPaused(boolean paused, long now) {
    if (paused == readingPaused) {
      return;
    }
    readingPaused = paused;
    if (!paused && now - lastInputNanos > 0) {
      lastInputNanos = now;
    }
  }

  /** The client closed its side (half-close or FIN); frames still held are handled first. */
  void endOfInput() {
    inputEnded = true;
  }

  private void consume(ByteBuffer chunk) {
    while (dialect == null && chunk.hasRemaining()) {
      head[headLength++] = chunk.get();
      DialectDetector.detect(head, 0, headLength).ifPresent(this::decideDialect);
      if (dialect == null && headLength == head.length) {
        decideDialect(Dialect.CLASSIC); // cannot happen: no verb is this long
      }
    }
    if (dialect == null || !chunk.hasRemaining()) {
      return;
    }
    int n = Math.min(chunk.remaining(), FEED_SLICE);
    int limit = chunk.limit();
    chunk.limit(chunk.position() + n);
    try {
      feed(chunk);
    } finally {
      chunk.limit(limit);
    }
    if (discarding()) {
      discardRun += n;
      if (discardRun > MAX_DISCARDED_BYTES) {
        discardExceeded = true;
      }
    }
  }

  private void feed(ByteBuffer bytes) {
    if (dialect == Dialect.CLASSIC) {
      classicFramer.feed(bytes, sink);
    } else {
      modernFramer.feed(bytes, sink);
    }
  }

  private void frameOut(Frame f) {
    frames.add(f);
    if (f instanceof Frame.Line) {
      discardRun = 0;
    }
  }

  /** Whether the framer is dropping the rest of an over-long line. */
  private boolean discarding() {
    if (dialect == Dialect.CLASSIC) {
      return classicFramer.hasPartial() && classicFramer.bufferedBytes() == 0;
    }
    return modernFramer != null && modernFramer.hasPartial() && modernFramer.bufferedBytes() == 0;
  }

  private void decideDialect(Dialect d) {
    dialect = d;
    if (refuseFirstFrame == null && !config.dialects().contains(d)) {
      refuseFirstFrame = ErrorCode.UNSUPPORTED_DIALECT; // GEN-DIALECT-3
    }
    int max = config.maxLineLength();
    if (d == Dialect.CLASSIC) {
      classicFramer = new ClassicFramer(max);
    } else {
      modernFramer = new LineFramer(max);
    }
    ByteBuffer detected = ByteBuffer.wrap(head, 0, headLength);
    headLength = 0;
    feed(detected);
  }

  private void finishInput() {
    inputFinished = true;
    if (dialect == null && headLength > 0) {
      decideDialect(DialectDetector.detectFinal(head, 0, headLength));
    }
    if (dialect == Dialect.CLASSIC) {
      classicFramer.endOfInput(sink); // CL-FRAME-2
    }
  }

  private void closeAfterEndOfInput() {
    closed = true;
    depart(LeaveReason.DISCONNECTED, "");
    accepting = false;
    mailbox.close(); // from here an offer is refused, never counted and dropped
    drainMailbox();
    link.close();
  }

  // ---------------------------------------------------------------- time

  /**
   * Nanoseconds from {@code now} to the session's next deadline (quiet period, login timeout, idle timeout,
   * server-full grace, rate-limit resume), 0 if one is due, -1 if none. The transport calls {@link #onTimer}
   * then; a deadline that moved later in the meantime is simply not due yet.
   */
  long nanosUntilDeadline(long now) {
    if (closed) {
      return -1;
    }
    long best = Long.MAX_VALUE;
    if (refuseFirstFrame == ErrorCode.SERVER_FULL) {
      best = Math.min(best, startNanos + SERVER_FULL_GRACE_NANOS - now);
    }
    if (name == null && !loggedInOnce) {
      best = Math.min(best, startNanos + config.loginTimeout().toNanos() - now);
    }
    long idle = idleNanos();
    if (idle > 0 && !readingPaused) {
      best = Math.min(best, lastInputNanos + idle - now);
    }
    if (quietPending()) {
      best = Math.min(best, lastInputNanos + config.classicQuietPeriod().toNanos() - now);
    }
    if (rateWait) {
      best = Math.min(best, rateResumeAt - now);
    }
    return best == Long.MAX_VALUE ? -1 : Math.max(0, best);
  }

  /** A deadline may be due; afterwards the transport hands the session its held bytes (if any) again. */
  void onTimer(long now) {
    if (closed) {
      return;
    }
    if (refuseFirstFrame == ErrorCode.SERVER_FULL && now - startNanos >= SERVER_FULL_GRACE_NANOS) {
      fatal(ErrorCode.SERVER_FULL, null, describe(ErrorCode.SERVER_FULL)); // GEN-LIMIT-7
      return;
    }
    if (name == null && !loggedInOnce && now - startNanos >= config.loginTimeout().toNanos()) {
      fatal(ErrorCode.LOGIN_TIMEOUT, LeaveReason.TIMEOUT, "no login within " + config.loginTimeout().toSeconds() + " s");
      return;
    }
    long idle = idleNanos();
    if (idle > 0 && !readingPaused && now - lastInputNanos >= idle) {
      fatal(ErrorCode.IDLE_TIMEOUT, LeaveReason.TIMEOUT, "nothing received for " + ceilSeconds(idle) + " s");
      return;
    }
    if (quietPending() && now - lastInputNanos >= config.classicQuietPeriod().toNanos()) {
      classicFramer.quietPeriodElapsed(sink); // CL-FRAME-2
    }
    if (rateWait && now - rateResumeAt >= 0) {
      rateWait = false;
    }
  }

  private boolean quietPending() {
    // Undecided, the head is a prefix of a modern verb: no quiet period applies yet (GEN-DIALECT-1).
    // Paused or holding bytes: the rest of the line may have arrived already, unread (CL-FRAME-2).
    return dialect == Dialect.CLASSIC && !inputHeld && !readingPaused && classicFramer.hasPartial();
  }

  private long idleNanos() {
    if (dialect == null) {
      return 0;
    }
    return (dialect == Dialect.CLASSIC ? config.classicIdleTimeout() : config.idleTimeout()).toNanos();
  }

  // ---------------------------------------------------------------- frames

  private void handleSafely(Frame f) {
    try {
      handle(f);
    } catch (RuntimeException e) {
      waiting = false;
      internalError(e);
    }
  }

  private void internalError(RuntimeException e) {
    cx.metrics().internalErrors.increment();
    if (!failureLogged) {
      failureLogged = true;
      long now = System.nanoTime();
      long last = lastTraceNanos.get();
      if ((last == Long.MIN_VALUE || now - last >= TRACE_INTERVAL_NANOS) && lastTraceNanos.compareAndSet(last, now)) {
        log.warn("connection {}: failed to process a frame; further failures of this connection are logged at debug level", id, e);
      } else {
        log.warn("connection {}: failed to process a frame: {} (stack traces at most every 10 s)", id, e.toString());
      }
    } else {
      log.debug("connection {}: failed to process a frame", id, e);
    }
    error(ErrorCode.INTERNAL_ERROR, "the server failed to process the frame");
  }

  private void handle(Frame f) {
    cx.metrics().framesIn.increment();
    if (framesSeen == 0 && refuseFirstFrame == null && plainTextRefused()) {
      refuseFirstFrame = ErrorCode.TLS_REQUIRED; // TLS-3
    }
    if (framesSeen++ == 0 && refuseFirstFrame != null) {
      if (dialect == Dialect.MODERN) {
        reply(new Reply.Error(refuseFirstFrame, describe(refuseFirstFrame)));
      }
      fatal(refuseFirstFrame, null, describe(refuseFirstFrame)); // GEN-LIMIT-3, GEN-DIALECT-3
      return;
    }
    if (f instanceof Frame.TooLong) {
      cx.metrics().decodeErrors.increment();
      int max = config.maxLineLength();
      error(ErrorCode.LINE_TOO_LONG, "line longer than " + max + " bytes (expected: at most " + max + ")"); // GEN-LINE-2
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
    DecodeResult<ClientCommand> r = ModernCommandDecoder.decode(bytes);
    if (r instanceof DecodeResult.Failure<ClientCommand> fail) {
      scram = null; // AUTH-6: any other line ends the exchange
      cx.metrics().decodeErrors.increment();
      error(fail.code(), fail.message());
      return;
    }
    ClientCommand cmd = r.value();
    if (scram != null && !(cmd instanceof ClientCommand.AuthResponse || cmd instanceof ClientCommand.AuthAbort)) {
      scram = null; // AUTH-6: any other line ends the exchange
      error(ErrorCode.INVALID_COMMAND, "an authentication exchange is in progress (expected: AUTH + <response> or AUTH *)");
      return;
    }
    if (cmd instanceof ClientCommand.Hello hello) {
      hello(hello);
    } else if (cmd instanceof ClientCommand.Ping ping) {
      if (name == null) {
        reply(new Reply.PingOk(ping.token())); // MD-PING-1; an anonymous connection gets no events to wait for
      } else {
        // GEN-ORDER-3 across cluster nodes: the reply follows every event ordered before it (at once on one node).
        this.<Object>await(done -> router.barrier(this, () -> done.accept(null)),
            x -> reply(new Reply.PingOk(ping.token()))); // MD-PING-1
      }
    } else if (cmd instanceof ClientCommand.Quit quit) {
      quit(quit.reason(), true); // MD-QUIT-1
    } else if (cmd instanceof ClientCommand.Login login) {
      login(login.name());
    } else if (cmd instanceof ClientCommand.Authenticate
        || cmd instanceof ClientCommand.AuthResponse || cmd instanceof ClientCommand.AuthAbort) {
      auth(cmd);
    } else if (name == null) {
      error(ErrorCode.NOT_LOGGED_IN, "log in first (expected: LOGIN <name>)"); // MD-AUTH-1
    } else {
      userCommand(cmd);
    }
  }

  private void handleClassic(byte[] bytes) {
    DecodeResult<ClassicCommand> r = ClassicCommandDecoder.decode(bytes);
    if (r instanceof DecodeResult.Failure<ClassicCommand> fail) {
      if (fail.code() == ErrorCode.INVALID_COMMAND && name == null) {
        error(ErrorCode.NOT_LOGGED_IN, "log in first"); // CL-AUTH-2: every frame but a login
      } else {
        cx.metrics().decodeErrors.increment();
        error(fail.code(), fail.message());
      }
      return;
    }
    ClassicCommand cc = r.value();
    ClientCommand cmd = cc.command();
    if (cmd instanceof ClientCommand.Login login && config.requireAuth() && !config.classicOpen()) {
      cx.metrics().loginsRejected.increment();
      fatal(ErrorCode.AUTH_REQUIRED, null, "this server requires a client that logs in with AUTH"); // AUTH-12
    } else if (cmd instanceof ClientCommand.Login login) {
      login(login.name()); // CL-LOGIN-1
    } else if (name == null) {
      error(ErrorCode.NOT_LOGGED_IN, "log in first"); // CL-AUTH-2
    } else if (!cc.claimedName().equals(name)) {
      error(ErrorCode.NAME_MISMATCH, "frame claims " + cc.claimedName() + " (expected: " + name + ")"); // CL-AUTH-1
    } else if (cmd instanceof ClientCommand.Quit quit) {
      quit(quit.reason(), false); // CL-QUIT-1
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
      fatal(ErrorCode.UNSUPPORTED_VERSION, null, text); // MD-HELLO-2
      return;
    }
    Map<String, String> caps = new LinkedHashMap<>();
    caps.put("maxline", Integer.toString(config.maxLineLength()));
    caps.put("maxname", Integer.toString(ProtocolDefaults.MAX_NAME_LENGTH));
    caps.put("idle", Long.toString(ceilSeconds(config.idleTimeout().toNanos())));
    caps.put("server", NettyChatServer.SERVER_ID);
    if (!config.credentialVerifiers().isEmpty()) {
      List<String> offered = offeredMechanisms();
      if (!offered.isEmpty()) {
        caps.put("auth", String.join(",", offered)); // AUTH-2; none usable here (AUTH-9): no auth capability
      }
      if (config.requireAuth()) {
        caps.put("authreq", "1");
      }
    }
    reply(new Reply.HelloOk(ProtocolDefaults.VERSION, caps)); // MD-HELLO-1
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  // ---------------------------------------------------------------- waiting for hooks and the router

  /**
   * Calls {@code op} with a callback; the session takes no further frame until the callback ran
   * (GEN-ORDER-1). The callback may run synchronously (inside {@code op}) or later on the loop.
   */
  private <T> void await(Consumer<Consumer<T>> op, Consumer<T> then) {
    waiting = true;
    boolean outer = inCall;
    inCall = true;
    try {
      op.accept(result -> resume(() -> then.accept(result)));
    } finally {
      inCall = outer;
    }
  }

  /** A hook or router call completed (on the loop). */
  private void resume(Runnable then) {
    waiting = false;
    if (!closed) {
      try {
        then.run();
      } catch (RuntimeException e) {
        internalError(e);
      }
    }
    if (!inCall) {
      link.inputReady();
    }
  }

  // ---------------------------------------------------------------- commands

  private void login(String wanted) {
    if (name != null) {
      error(ErrorCode.ALREADY_LOGGED_IN, "logged in as " + name + " already"); // CL-LOGIN-3, MD-LOGIN-2
      return;
    }
    String refused = router.loginsRefused();
    if (refused != null) {
      cx.metrics().loginsRejected.increment();
      error(ErrorCode.LOGIN_REJECTED, refused); // CLUSTER-6
      return;
    }
    if (dialect == Dialect.MODERN && account == null && config.requireAuth()) {
      cx.metrics().loginsRejected.increment();
      error(ErrorCode.AUTH_REQUIRED, "log in with AUTH first (expected: AUTH <mechanism> ...)"); // AUTH-10
      return;
    }
    if (account != null && !mayUseName(wanted)) {
      cx.metrics().loginsRejected.increment();
      error(ErrorCode.NAME_NOT_ALLOWED, "account " + account + " may not use the name " + wanted); // AUTH-10
      return;
    }
    if (router.isTaken(wanted)) {
      nameTaken();
      return;
    }
    Authenticator authenticator = config.authenticator();
    if (authenticator == Authenticator.ACCEPT_ALL) {
      completeLogin(wanted);
      return;
    }
    SessionInfo info = info();
    this.<Object[]>await(
        done -> cx.hooks().<Boolean>callAsync(() -> authenticator.authenticate(info, wanted), link.executor(),
            (accepted, failure) -> done.accept(new Object[] {accepted, failure})),
        outcome -> {
          Throwable failure = (Throwable) outcome[1];
          if (failure != null) {
            log.warn("authenticator failed for {}: {}", wanted, failure.toString());
          }
          if (failure == null && Boolean.TRUE.equals(outcome[0])) {
            completeLogin(wanted);
          } else {
            cx.metrics().loginsRejected.increment();
            error(ErrorCode.LOGIN_REJECTED, failure instanceof TimeoutException
                ? "the authenticator did not decide in time" : "the server refused the login");
          }
        });
  }

  // ---------------------------------------------------------------- authentication (PROTOCOL.md section 8)

  /** TLS-1: the handshake completed; called before the first decrypted byte reaches the session. */
  void secured(TlsInfo info) {
    this.tls = info;
  }

  /** TLS-3: a plain-text connection on a server that requires TLS, unless loopback is exempt. */
  private boolean plainTextRefused() {
    if (tls != null || !config.requireTls()) {
      return false;
    }
    return !(config.allowPlainLoopback() && remote.getAddress() != null && remote.getAddress().isLoopbackAddress());
  }

  /** Whether a mechanism that sends a secret may be used here (AUTH-9). */
  private boolean secretsAllowed() {
    return tls != null || config.allowPlainAuth();
  }

  /** AUTH-2, AUTH-9, TLS-5: the mechanisms usable on this connection, in the verifiers' order. */
  private List<String> offeredMechanisms() {
    java.util.LinkedHashSet<String> offered = new java.util.LinkedHashSet<>();
    for (CredentialVerifier v : config.credentialVerifiers()) {
      for (String m : v.mechanisms()) {
        if (usable(m)) {
          offered.add(m);
        }
      }
    }
    return List.copyOf(offered);
  }

  private boolean usable(String mechanism) {
    switch (mechanism) {
      case "PLAIN":
      case "TOKEN":
        return secretsAllowed();
      case "EXTERNAL":
        return tls != null && tls.peerCertificate().isPresent();
      case Scram.MECHANISM:
        return true; // the password never crosses the connection (AUTH-9 does not apply)
      default:
        return false;
    }
  }

  private CredentialVerifier verifierFor(String mechanism) {
    for (CredentialVerifier v : config.credentialVerifiers()) {
      if (v.mechanisms().contains(mechanism)) {
        return v;
      }
    }
    return null;
  }

  private boolean mayUseName(String wanted) {
    CredentialVerifier v = verifierFor(accountMechanism);
    try {
      return v != null ? v.mayUseName(account, wanted) : account.equalsIgnoreCase(wanted);
    } catch (RuntimeException e) {
      log.warn("credential verifier failed to decide a name: {}", e.getClass().getName());
      return false;
    }
  }

  private String accountMechanism;
  /** The SCRAM exchange waiting for {@code AUTH +}, or null (AUTH-4, AUTH-6). */
  private Scram.Exchange scram;

  private void auth(ClientCommand cmd) {
    if (account != null || name != null) {
      error(ErrorCode.INVALID_COMMAND, account != null ? "authenticated already" : "AUTH comes before LOGIN"); // AUTH-7
      return;
    }
    if (!(cmd instanceof ClientCommand.Authenticate a)) {
      if (scram == null) {
        error(ErrorCode.INVALID_COMMAND, "no authentication exchange is in progress"); // AUTH-6
      } else {
        scramFinish(cmd);
      }
      return;
    }
    String mechanism = a.mechanism();
    CredentialVerifier verifier = verifierFor(mechanism);
    if (verifier == null || !knownMechanism(mechanism)) {
      error(ErrorCode.AUTH_UNSUPPORTED, "mechanism " + mechanism + " is not offered (offered: "
          + (offeredMechanisms().isEmpty() ? "none" : String.join(",", offeredMechanisms())) + ")"); // AUTH-2, AUTH-6
      return;
    }
    if (!usable(mechanism)) {
      if (mechanism.equals("EXTERNAL")) {
        error(ErrorCode.AUTH_UNSUPPORTED, "EXTERNAL needs a TLS connection with a verified client certificate");
      } else {
        error(ErrorCode.TLS_REQUIRED, mechanism + " sends a secret: use a TLS connection"); // AUTH-9
      }
      return;
    }
    if (!a.hasInitialResponse() && !mechanism.equals("EXTERNAL")) {
      error(ErrorCode.INVALID_COMMAND, "AUTH " + mechanism + " needs an initial response"); // AUTH-6
      return;
    }
    if (mechanism.equals(Scram.MECHANISM)) {
      scramStart(verifier, a.initialResponse());
      return;
    }
    Credentials credentials = credentials(mechanism, a.initialResponse());
    String claimed = credentials instanceof Credentials.Password p ? p.account()
        : credentials instanceof Credentials.Certificate c ? c.account() : null;
    java.net.InetAddress address = remote.getAddress();
    long locked = cx.authThrottle().lockedFor(claimed, address);
    if (locked > 0) {
      cx.metrics().authThrottled.increment();
      error(ErrorCode.AUTH_THROTTLED, "too many failed attempts; retry in " + ceilSeconds(locked) + " s"); // AUTH-11
      return;
    }
    if (credentials == null) {
      authFailed(null, "malformed");
      return;
    }
    AuthAttempt attempt = new AuthAttempt(info(), credentials, Optional.ofNullable(tls));
    long started = System.nanoTime();
    this.<Object[]>await(
        done -> cx.hooks().<Optional<String>>callAsync(() -> verifier.verify(attempt), link.executor(),
            (result, failure) -> done.accept(new Object[] {result, failure})),
        outcome -> {
          cx.metrics().authNanos.add(System.nanoTime() - started);
          Throwable failure = (Throwable) outcome[1];
          @SuppressWarnings("unchecked")
          Optional<String> proved = (Optional<String>) outcome[0];
          if (failure != null) {
            // The class only: a verifier's message might quote what it was given (AUTH-13).
            log.warn("credential verifier failed for mechanism {}: {}", mechanism,
                failure instanceof TimeoutException ? "no decision in time" : failure.getClass().getName());
          }
          if (failure == null && proved != null && proved.isPresent() && AuthFields.isAccount(proved.get())) {
            account = proved.get();
            accountMechanism = mechanism;
            cx.authThrottle().succeeded(account);
            cx.metrics().authSucceeded.increment();
            console.info("Client {} authenticated as {} ({})", info().describeAddress(), account, mechanism);
            reply(new Reply.AuthOk(account)); // AUTH-4
          } else {
            authFailed(claimed, mechanism);
          }
        });
  }

  private static boolean knownMechanism(String m) {
    return m.equals("PLAIN") || m.equals("TOKEN") || m.equals("EXTERNAL") || m.equals(Scram.MECHANISM);
  }

  /**
   * SCRAM-SHA-256, first step (AUTH-8): the client-first-message names the user; the verifier gives its
   * credential (or nothing: a decoy), and the server answers the server-first-message as a challenge.
   */
  private void scramStart(CredentialVerifier verifier, String response) {
    byte[] bytes = AuthFields.base64(response);
    Scram.ClientFirst first = bytes == null ? null : Scram.parseClientFirst(bytes);
    String claimed = first == null ? null : first.user();
    long locked = cx.authThrottle().lockedFor(claimed, remote.getAddress());
    if (locked > 0) {
      cx.metrics().authThrottled.increment();
      error(ErrorCode.AUTH_THROTTLED, "too many failed attempts; retry in " + ceilSeconds(locked) + " s"); // AUTH-11
      return;
    }
    if (first == null) {
      authFailed(null, "malformed");
      return;
    }
    long started = System.nanoTime();
    this.<Object[]>await(
        done -> cx.hooks().<Optional<ScramCredential>>callAsync(
            () -> CompletableFuture.completedFuture(verifier.scramCredential(first.user())), link.executor(),
            (result, failure) -> done.accept(new Object[] {result, failure})),
        outcome -> {
          cx.metrics().authNanos.add(System.nanoTime() - started);
          Throwable failure = (Throwable) outcome[1];
          @SuppressWarnings("unchecked")
          Optional<ScramCredential> found =
              (Optional<ScramCredential>) outcome[0];
          if (failure != null) {
            log.warn("credential verifier failed for mechanism {}: {}", Scram.MECHANISM,
                failure instanceof TimeoutException ? "no decision in time" : failure.getClass().getName());
          }
          ScramCredential credential = failure == null && found != null
              && found.isPresent() && AuthFields.isAccount(found.get().account()) ? found.get() : null;
          // Unknown account: a decoy challenge, the same for that name every time; the exchange then fails (AUTH-5).
          scram = Scram.start(first, Scram.newNonce(), credential);
          reply(new Reply.AuthChallenge(Base64.getEncoder().encodeToString(
              scram.serverFirst().getBytes(java.nio.charset.StandardCharsets.UTF_8)))); // AUTH-4
        });
  }

  /** SCRAM-SHA-256, last step: {@code AUTH +} with the client-final-message, or {@code AUTH *} (AUTH-4, AUTH-5). */
  private void scramFinish(ClientCommand cmd) {
    Scram.Exchange x = scram;
    scram = null;
    String claimed = x.first().user();
    if (!(cmd instanceof ClientCommand.AuthResponse r)) {
      authFailed(claimed, "aborted"); // AUTH *
      return;
    }
    long started = System.nanoTime();
    byte[] bytes = AuthFields.base64(r.response());
    String serverFinal = bytes == null ? null : Scram.finish(x, bytes);
    cx.metrics().authNanos.add(System.nanoTime() - started);
    if (serverFinal == null) {
      authFailed(claimed, Scram.MECHANISM);
      return;
    }
    account = x.credential().account();
    accountMechanism = Scram.MECHANISM;
    cx.authThrottle().succeeded(account);
    cx.metrics().authSucceeded.increment();
    console.info("Client {} authenticated as {} ({})", info().describeAddress(), account, Scram.MECHANISM);
    reply(new Reply.AuthOk(account, Base64.getEncoder().encodeToString(
        serverFinal.getBytes(java.nio.charset.StandardCharsets.UTF_8)))); // AUTH-4
  }

  /** AUTH-5, AUTH-11: one reply for every failure, held back by the throttle's delay (no thread sleeps). */
  private void authFailed(String claimed, String why) {
    cx.metrics().authFailed.increment();
    long delay = cx.authThrottle().failed(claimed, remote.getAddress());
    console.info("Client {} failed to authenticate ({})", info().describeAddress(), why);
    if (delay <= 0) {
      error(ErrorCode.AUTH_FAILED, "authentication failed");
      return;
    }
    Executor later = CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.NANOSECONDS, link.executor());
    this.<Boolean>await(done -> {
      try {
        later.execute(() -> done.accept(true));
      } catch (RejectedExecutionException e) {
        done.accept(false);
      }
    }, ignored -> error(ErrorCode.AUTH_FAILED, "authentication failed"));
  }

  /** The credentials an initial response carries, or null if it is malformed (AUTH-8). Never logs it. */
  private Credentials credentials(String mechanism, String response) {
    switch (mechanism) {
      case "TOKEN":
        return new Credentials.Token(response);
      case "PLAIN": {
        byte[] bytes = AuthFields.base64(response);
        if (bytes == null) {
          return null;
        }
        String[] parts = AuthFields.plainFields(bytes);
        if (parts == null || (!parts[0].isEmpty() && !parts[0].equalsIgnoreCase(parts[1]))) {
          return null;
        }
        return new Credentials.Password(parts[1], parts[2]);
      }
      case "EXTERNAL": {
        X509Certificate cert = tls.peerCertificate().orElseThrow();
        String cn = AuthFields.commonName(cert);
        if (cn == null) {
          return null;
        }
        if (!response.isEmpty()) {
          byte[] authzid = AuthFields.base64(response);
          if (authzid == null || (authzid.length > 0
              && !new String(authzid, java.nio.charset.StandardCharsets.UTF_8).equalsIgnoreCase(cn))) {
            return null;
          }
        }
        return new Credentials.Certificate(cn, cert);
      }
      default:
        return null;
    }
  }

  private void completeLogin(String wanted) {
    this.<Boolean>await(done -> router.login(this, wanted, accepted -> {
      if (accepted) {
        name = wanted; // before anything else can see this member logged in
      }
      done.accept(accepted);
    }), accepted -> {
      if (!accepted) {
        nameTaken(); // GEN-NAME-4
        return;
      }
      loggedInOnce = true;
      link.loggedIn();
      cx.metrics().loginsAccepted.increment();
      reply(new Reply.LoginOk(wanted)); // MD-LOGIN-1; classic: no frame (CL-LOGIN-2)
      SessionInfo info = info();
      console.info("Client {} logged in as {}", info.describeAddress(), wanted);
      if (cx.hooks().hasObservers()) {
        cx.hooks().notify(o -> o.onJoin(info));
      }
    });
  }

  private void nameTaken() {
    cx.metrics().loginsRejected.increment();
    if (dialect == Dialect.CLASSIC) {
      // CL-LOGIN-2: alone in one TCP write, because the original client compares a whole read with it.
      drainMailbox();
      byte[] bytes = ClassicServerMessageEncoder.encode(Reply.Error.of(ErrorCode.NAME_TAKEN));
      countOut(bytes);
      link.writeAlone(bytes);
      notifyError(ErrorCode.NAME_TAKEN, ErrorCode.NAME_TAKEN.classicText());
    } else {
      error(ErrorCode.NAME_TAKEN, "the name is in use");
    }
  }

  private void userCommand(ClientCommand cmd) {
    if (cmd instanceof ClientCommand.ListUsers) {
      this.<List<String>>await(done -> router.list(this, done), this::replyList);
    } else if (cmd instanceof ClientCommand.SendAll s) {
      message(new InboundMessage(InboundMessage.Kind.BROADCAST, name, "", s.text(), senderInfo()));
    } else if (cmd instanceof ClientCommand.SendTo s) {
      message(new InboundMessage(InboundMessage.Kind.PRIVATE, name, s.recipient(), s.text(), senderInfo()));
    } else {
      error(ErrorCode.INVALID_COMMAND, "unexpected command");
    }
  }

  /** GEN-LIST-1; a modern list line that would pass 1 MiB is cut (GEN-LINE-6). */
  private void replyList(List<String> names) {
    if (dialect == Dialect.MODERN) {
      long size = "OK LIST ".length() + 11 + 1;
      int fit = 0;
      for (String n : names) {
        size += 1 + n.length(); // names are ASCII (GEN-NAME-1)
        if (size > MAX_LIST_FRAME) {
          break;
        }
        fit++;
      }
      if (fit < names.size()) {
        drainMailbox();
        writeFrame(ModernServerMessageEncoder.encode(
            new Event.Notice("list truncated: " + (names.size() - fit) + " more users not shown")));
        reply(new Reply.UserList(names.subList(0, fit)));
        return;
      }
    }
    reply(new Reply.UserList(names));
  }

  private void message(InboundMessage m) {
    List<MessageInterceptor> interceptors = config.interceptors();
    if (interceptors.isEmpty()) {
      deliver(m);
      return;
    }
    this.<Object[]>await(
        done -> cx.hooks().<Interception>callAsync(
            () -> CompletableFuture.completedFuture(Interceptors.run(interceptors, m)), link.executor(),
            (decision, failure) -> done.accept(new Object[] {decision, failure})),
        outcome -> {
          Interception decision = (Interception) outcome[0];
          Throwable failure = (Throwable) outcome[1];
          if (failure != null || decision == null) {
            log.warn("interceptor failed: {}", String.valueOf(failure));
            error(ErrorCode.INTERNAL_ERROR, "the server failed to process the message");
          } else if (decision instanceof Interception.Veto v) {
            error(v.code(), v.text());
          } else if (decision instanceof Interception.Rewrite rw) {
            if (!Interceptors.isSendable(rw.text())) {
              log.warn("interceptor rewrote a message to an invalid text");
              error(ErrorCode.INTERNAL_ERROR, "the server failed to process the message");
            } else {
              deliver(m.withText(rw.text()));
            }
          } else {
            deliver(m);
          }
        });
  }

  private void deliver(InboundMessage m) {
    routed++;
    if (m.kind() == InboundMessage.Kind.BROADCAST) {
      this.<Integer>await(done -> router.broadcast(this, m.text(), done::accept), n -> {
        reply(new Reply.SendAllOk()); // MD-SEND-1; classic: no frame (CL-SENDALL-1)
        notifyMessage(m, n);
      });
    } else {
      this.<String>await(done -> router.sendTo(this, m.recipient(), m.text(), done), to -> {
        if (to == null) {
          error(ErrorCode.NO_SUCH_USER, "no user named " + m.recipient() + " is logged in"); // CL-SENDTO-2, MD-SENDTO-2
          return;
        }
        reply(new Reply.SendToOk(to)); // MD-SENDTO-1, GEN-LIMIT-13
        notifyMessage(m, 1);
      });
    }
  }

  /** This session for a message's interceptors and observers; not built when nobody will see it. */
  private Optional<SessionInfo> senderInfo() {
    return config.interceptors().isEmpty() && !cx.hooks().observesMessages() ? Optional.empty() : Optional.of(info());
  }

    private void notifyMessage(InboundMessage m, int n) {
    if (cx.hooks().observesMessages()) {
      cx.hooks().notify(o -> o.onMessage(m, n));
    }
  }

  /**
   * QUIT: the departure first; once the router has ordered the leave notice (at once on one node; a cluster's
   * log write), the mailbox stops taking events (a broadcast that raced the departure is refused, not counted),
   * the events queued before are written, then {@code OK QUIT} if {@code sayOk}: nothing follows it (MD-QUIT-1),
   * and whoever reads {@code OK QUIT} and then sends a barrier to any node sees the leave notice before the
   * barrier's reply (GEN-ORDER-3).
   */
  private void quit(String reason, boolean sayOk) {
    closed = true;
    depart(LeaveReason.QUIT, reason, () -> {
      accepting = false;
      mailbox.close();
      drainMailbox();
      if (sayOk) {
        reply(new Reply.QuitOk());
      }
      link.close(); // GEN-LIMIT-11
    });
  }

  // ---------------------------------------------------------------- closing

  /** Server shutdown: SHUTTING_DOWN, no leave notice (GEN-LEAVE-2). */
  void shutdown() {
    fatal(ErrorCode.SHUTTING_DOWN, LeaveReason.SHUTDOWN, "the server is shutting down");
    link.flush();
  }

  /** The client does not read (GEN-LIMIT-5, GEN-LIMIT-8): decided by the transport, which measures it. */
  void slowConsumer() {
    if (!closed) {
      cx.metrics().slowConsumers.increment();
      fatal(ErrorCode.SLOW_CONSUMER, LeaveReason.SLOW_CONSUMER, "the client does not read fast enough");
    }
  }

  /** The connection ended (closed or reset by the peer, or cut); the user departs if it has not. */
  void disconnected() {
    boolean wasClosed = closed;
    closed = true;
    accepting = false;
    mailbox.close();
    depart(LeaveReason.DISCONNECTED, "");
    mailbox.clear();
    frames.clear();
    SessionInfo info = info();
    console.info("Client {} disconnected", info.describeAddress());
    if (cx.hooks().hasObservers()) {
      cx.hooks().notify(o -> o.onDisconnect(info));
    }
    if (!wasClosed) {
      log.debug("connection {} ended by the peer", id);
    }
  }

  /**
   * Ends the connection for a fatal reason of the server's own: pending events first (not for a slow
   * consumer), then the fatal frame (modern {@code BYE}, MD-BYE-1; classic error text, CL-ERROR-1), then
   * the one close path.
   */
  private void fatal(ErrorCode code, LeaveReason reason, String text) {
    closeWith(code, reason != null ? reason : LeaveReason.DISCONNECTED, text);
  }

  private void closeWith(ErrorCode code, LeaveReason reason, String text) {
    if (closed) {
      return;
    }
    closed = true;
    frames.clear();
    if (code == ErrorCode.SLOW_CONSUMER) {
      accepting = false;
    }
    if (code == ErrorCode.KICKED) {
      // An administrator's disconnection is a departure like QUIT: the BYE and the close wait until the router
      // has ordered the leave notice (at once on one node; a cluster's log write), so whoever sees the kicked
      // connection end and then sends a barrier to any node sees the leave notice first, and the name is free.
      depart(reason, text, () -> {
        finishClose(code, text);
        link.flush();
      });
      return;
    }
    depart(reason, "");
    finishClose(code, text);
  }

  /** The rest of {@link #closeWith} once the departure is under way: events queued before, the fatal frame, the close. */
  private void finishClose(ErrorCode code, String text) {
    accepting = false;
    mailbox.close();
    if (code != ErrorCode.SLOW_CONSUMER) {
      drainMailbox();
    }
    mailbox.clear();
    notifyError(code, text);
    writeFrame(dialect == Dialect.MODERN
        ? ModernServerMessageEncoder.encode(new Event.Bye(code, safeText(text, code)))
        : ClassicServerMessageEncoder.encode(new Event.Bye(code, safeText(text, code))));
    link.close();
  }

  private static String safeText(String text, ErrorCode code) {
    return text == null || text.isBlank() ? code.classicText() : text.replace('\r', ' ').replace('\n', ' ');
  }

  private static String describe(ErrorCode code) {
    if (code == ErrorCode.SERVER_FULL) {
      return "the server has as many connections as it allows";
    }
    if (code == ErrorCode.TLS_REQUIRED) {
      return "this server accepts TLS connections only";
    }
    return code.classicText();
  }

  /** The user departs (once): its name is freed, then the others are told (GEN-NAME-5, GEN-LEAVE-1). */
  private void depart(LeaveReason reason, String detail) {
    depart(reason, detail, null);
  }

  /** As {@link #depart(LeaveReason, String)}; {@code then} (if any) runs once the router ordered the departure. */
  private void depart(LeaveReason reason, String detail, Runnable then) {
    if (departed || name == null) {
      departed = true;
      if (then != null) {
        then.run();
      }
      return;
    }
    departed = true;
    String n = name;
    if (then == null) {
      router.depart(this, reason, detail == null ? "" : detail, !cx.shuttingDown().getAsBoolean());
    } else {
      router.depart(this, reason, detail == null ? "" : detail, !cx.shuttingDown().getAsBoolean(), then);
    }
    name = null;
    SessionInfo info = new SessionInfo(id, remote, connectedAt, Optional.ofNullable(dialect), Optional.of(n));
    console.info("Client {} {} left ({})", info.describeAddress(), n, reason);
    if (cx.hooks().hasObservers()) {
      cx.hooks().notify(o -> o.onLeave(info, reason));
    }
  }

  // ---------------------------------------------------------------- writing

  private void reply(ServerMessage m) {
    drainMailbox(); // GEN-ORDER-3: events queued for this connection go before the reply
    byte[] bytes = Encoding.encode(m, dialect);
    if (bytes.length > 0) {
      writeFrame(bytes);
    }
  }

  private void error(ErrorCode code, String text) {
    String t = text == null || text.isBlank() ? code.classicText() : text;
    reply(new Reply.Error(code, t.replace('\r', ' ').replace('\n', ' ')));
    notifyError(code, t);
  }

  private void notifyError(ErrorCode code, String text) {
    if (cx.hooks().hasObservers()) {
      SessionInfo info = info();
      cx.hooks().notify(o -> o.onError(info, code, text));
    }
  }

  private void writeFrame(byte[] bytes) {
    countOut(bytes);
    link.write(bytes);
  }

  private void countOut(byte[] bytes) {
    cx.metrics().framesOut.increment();
    cx.metrics().bytesOut.add(bytes.length);
  }

  /** Writes every queued event, in order, without flushing. */
  void drainMailbox() {
    drain(false);
  }

  private void drain(boolean asked) {
    drainedBytes = 0;
    int count = mailbox.drain(eventOut, asked);
    if (count > 0) {
      cx.metrics().framesOut.add(count);
      cx.metrics().bytesOut.add(drainedBytes);
    }
  }

  private void eventOut(byte[] event) {
    drainedBytes += event.length;
    link.write(event);
  }

  /** A drain scheduled by {@link Link#scheduleDrain()} (on the loop). */
  void drainTask() {
    drain(true);
  }

  /** For tests: the frames that wait to be handled. */
  int framesWaiting() {
    return frames.size();
  }
}
