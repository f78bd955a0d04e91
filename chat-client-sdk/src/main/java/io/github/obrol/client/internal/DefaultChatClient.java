package io.github.obrol.client.internal;

import io.github.obrol.client.ChatClient;
import io.github.obrol.client.ChatException;
import io.github.obrol.client.ChatListener;
import io.github.obrol.client.ChatTimeoutException;
import io.github.obrol.client.ConnectionLostException;
import io.github.obrol.client.Disconnection;
import io.github.obrol.client.NameTakenException;
import io.github.obrol.client.NotConnectedException;
import io.github.obrol.client.ReconnectPolicy;
import io.github.obrol.client.ServerErrorException;
import io.github.obrol.client.TlsException;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChatClient}: its lifecycle across connections, reconnects and close. The wire work is done by
 * a {@link Connection} per attempt. Callbacks and future completions all go through one {@link
 * SerialExecutor}, which is what keeps them ordered and off the I/O threads.
 */
public final class DefaultChatClient implements ChatClient {
  private static final Logger log = LoggerFactory.getLogger(DefaultChatClient.class);

  /**
   * Answers after which reconnecting would only be refused again. NAME_TAKEN is among them, except while
   * the policy's retry window after a loss lasts (see {@link ReconnectPolicy}).
   */
  private static final Set<ErrorCode> NO_RECONNECT = EnumSet.of(ErrorCode.NAME_TAKEN, ErrorCode.INVALID_NAME,
      ErrorCode.LOGIN_REJECTED, ErrorCode.ALREADY_LOGGED_IN, ErrorCode.KICKED, ErrorCode.UNSUPPORTED_VERSION,
      ErrorCode.UNSUPPORTED_DIALECT, ErrorCode.AUTH_FAILED, ErrorCode.AUTH_REQUIRED, ErrorCode.AUTH_UNSUPPORTED,
      ErrorCode.TLS_REQUIRED, ErrorCode.NAME_NOT_ALLOWED);

  private final ClientSettings config;
  private final ChatListener listener;
  private final SerialExecutor callbacks;
  /** Guards the fields below and every field of this client's connections. */
  final ReentrantLock lock = new ReentrantLock();

  private State state = State.NEW;
  private Connection connection;
  private int attempt;
  /** Attempts answered NAME_TAKEN within the retry window since the loss: they do not use up maxAttempts. */
  private int nameTakenRetries;
  /** When the established connection was lost ({@link System#nanoTime()}); meaningful while RECONNECTING. */
  private long lostAtNanos;
  private ScheduledFuture<?> reconnectTask;
  private ScheduledFuture<?> closeTimer;
  private boolean terminated;
  private final CompletableFuture<Void> connectFuture = new CompletableFuture<>();
  private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
  private volatile String quitReason = "";

  /** Use {@link ChatClient#builder()}. */
  public DefaultChatClient(ClientSettings config) {
    this.config = config;
    this.listener = config.listener();
    this.callbacks = new SerialExecutor(
        config.callbackExecutor() != null ? config.callbackExecutor() : ClientThreads.DEFAULT_CALLBACKS);
  }

  /** The validated settings. */
  ClientSettings settings() {
    return config;
  }

  @Override
  public String host() {
    return config.host();
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public String username() {
    return config.username();
  }

  @Override
  public Dialect dialect() {
    return config.dialect();
  }

  @Override
  public Duration connectTimeout() {
    return config.connectTimeout();
  }

  @Override
  public Duration requestTimeout() {
    return config.requestTimeout();
  }

  @Override
  public long maxQueuedBytes() {
    return config.maxQueuedBytes();
  }

  @Override
  public int maxIncomingLineLength() {
    return config.maxIncomingLineLength();
  }

  @Override
  public io.github.obrol.client.ClientTls tls() {
    return config.tls();
  }

  @Override
  public io.github.obrol.client.Credentials credentials() {
    return config.credentials();
  }

  @Override
  public boolean allowCredentialsWithoutTls() {
    return config.allowCredentialsWithoutTls();
  }

  @Override
  public ReconnectPolicy reconnectPolicy() {
    return config.reconnectPolicy();
  }

  @Override
  public Duration classicQuietPeriod() {
    return config.classicQuietPeriod();
  }

  @Override
  public Duration classicFrameSpacing() {
    return config.classicFrameSpacing();
  }

  @Override
  public Executor callbackExecutor() {
    return config.callbackExecutor();
  }

  @Override
  public ChatListener listener() {
    return config.listener();
  }

  @Override
  public State state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletableFuture<Void> connect() {
    Connection c;
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException("connect: called in state " + state
            + " (expected: once per client, in state NEW; build another client with newBuilder())");
      }
      state = State.CONNECTING;
      c = newConnection();
      connection = c;
    } finally {
      lock.unlock();
    }
    c.start();
    return connectFuture;
  }

  private Connection newConnection() {
    return config.dialect() == Dialect.MODERN ? new ModernConnection(this) : new ClassicConnection(this);
  }

  // ---- requests ----

  @Override
  public CompletableFuture<Void> sendAll(String text) {
    ClientCommand.SendAll command = new ClientCommand.SendAll(text);
    return request(command, Pending.Kind.SEND_ALL, "SEND");
  }

  @Override
  public CompletableFuture<Void> sendTo(String user, String text) {
    ClientCommand.SendTo command = new ClientCommand.SendTo(user, text);
    return request(command, Pending.Kind.SEND_TO, "SENDTO " + user);
  }

  @Override
  public CompletableFuture<List<String>> listUsers() {
    return request(new ClientCommand.ListUsers(), Pending.Kind.LIST, "LIST");
  }

  @Override
  public boolean trySendAll(String text) {
    ClientCommand.SendAll command = new ClientCommand.SendAll(text);
    Connection c = connectedConnection();
    return c != null && c.submit(command, new Pending(Pending.Kind.SEND_ALL, null, "SEND")) == null;
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> request(ClientCommand command, Pending.Kind kind, String description) {
    Connection c = connectedConnection();
    if (c == null) {
      return CompletableFuture.failedFuture(new NotConnectedException(
          "not connected (state: " + state() + "); " + description + " was not sent"));
    }
    CompletableFuture<Object> future = new CompletableFuture<>();
    ChatException refused = c.submit(command, new Pending(kind, future, description));
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) future;
  }

  private Connection connectedConnection() {
    lock.lock();
    try {
      return state == State.CONNECTED ? connection : null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long queuedBytes() {
    Connection c;
    lock.lock();
    try {
      c = connection;
    } finally {
      lock.unlock();
    }
    return c == null ? 0 : c.queuedBytes();
  }

  // ---- close ----

  @Override
  public void close(String reason) {
    CompletableFuture<Void> closed = closeAsync(reason);
    // From a callback (or a future completed on the callback executor) waiting would deadlock: onClosed
    // runs on that same executor after this callback returns.
    if (!callbacks.isRunningTask()) {
      closed.join();
    }
  }

  @Override
  public CompletableFuture<Void> closeAsync(String reason) {
    new ClientCommand.Quit(reason); // validates: one line, no control characters (MD-QUIT-1)
    quitReason = reason;
    Connection toAbort = null;
    Connection toDrain = null;
    boolean terminateNow = false;
    lock.lock();
    try {
      switch (state) {
        case NEW:
          terminateNow = true;
          break;
        case CONNECTING:
          state = State.CLOSING;
          toAbort = connection;
          break;
        case CONNECTED:
          state = State.CLOSING;
          toDrain = connection;
          Connection draining = connection;
          closeTimer = ClientThreads.schedule(() -> {
            log.debug("graceful close of {} took longer than {}; aborting", config.username(),
                config.requestTimeout());
            draining.end(new ChatTimeoutException("close", config.requestTimeout()));
          }, config.requestTimeout());
          break;
        case RECONNECTING:
          cancelReconnect();
          if (connection != null) {
            state = State.CLOSING;
            toAbort = connection;
          } else {
            terminateNow = true;
          }
          break;
        default:
          break;
      }
    } finally {
      lock.unlock();
    }
    if (terminateNow) {
      terminate(null);
    }
    if (toAbort != null) {
      toAbort.end(null);
    }
    if (toDrain != null) {
      toDrain.drain();
    }
    return closedFuture;
  }

  /** The reason given to {@link #closeAsync(String)}, sent with the modern {@code QUIT}; {@code ""} for none. */
  String quitReason() {
    return quitReason;
  }

  @Override
  public CompletableFuture<Void> abort() {
    Connection toAbort = null;
    boolean terminateNow = false;
    lock.lock();
    try {
      cancelReconnect();
      if (state != State.CLOSED) {
        if (connection != null) {
          state = State.CLOSING;
          toAbort = connection;
        } else {
          terminateNow = true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (terminateNow) {
      terminate(null);
    }
    if (toAbort != null) {
      toAbort.end(null);
    }
    return closedFuture;
  }

  private void cancelReconnect() {
    if (reconnectTask != null) {
      reconnectTask.cancel(false);
      reconnectTask = null;
    }
  }

  // ---- from connections ----

  // Dispatches below happen under the lock, so that their order is the order of the state changes even
  // when the reader, the writer and the timer race (a login and a failed write, say).

  void connectionLoggedIn(Connection c, List<Event> early) {
    lock.lock();
    try {
      if (c != connection || (state != State.CONNECTING && state != State.RECONNECTING)) {
        return;
      }
      state = State.CONNECTED;
      attempt = 0;
      nameTakenRetries = 0;
      dispatch(() -> {
        safely("onConnected", () -> listener.onConnected(this));
        for (Event e : early) {
          deliverNow(e);
        }
        connectFuture.complete(null);
      });
    } finally {
      lock.unlock();
    }
  }

  void connectionEnded(Connection c, Throwable cause, boolean wasLoggedIn) {
    lock.lock();
    try {
      if (c != connection) {
        return;
      }
      connection = null;
      if (closeTimer != null) {
        closeTimer.cancel(false);
        closeTimer = null;
      }
      switch (state) {
        case CLOSING:
          if (!connectFuture.isDone()) {
            Throwable closed = new NotConnectedException("closed before the login was accepted");
            dispatch(() -> connectFuture.completeExceptionally(closed));
          }
          terminate(null);
          break;
        case CONNECTING: {
          Throwable failure = cause != null ? cause
              : new ConnectionLostException("the connection ended before the login was accepted", null);
          dispatch(() -> connectFuture.completeExceptionally(failure));
          terminate(failure);
          break;
        }
        case CONNECTED:
        case RECONNECTING: {
          Throwable why = cause != null ? cause : new ConnectionLostException("the connection was closed", null);
          ReconnectPolicy policy = config.reconnectPolicy();
          long now = System.nanoTime();
          if (state == State.CONNECTED) {
            lostAtNanos = now;
          }
          int next = attempt + 1;
          boolean will;
          Duration delay;
          if (state == State.RECONNECTING && isNameTaken(why)) {
            // The server may still hold our lost connection and its name: retry within the window only.
            Duration left = policy.nameTakenRetryWindow().minusNanos(now - lostAtNanos);
            will = !left.isNegative() && !left.isZero();
            delay = will ? min(backoff(policy, next), left) : Duration.ZERO;
            if (will) {
              nameTakenRetries++;
            } else {
              why = NameTakenException.stillTakenAfterReconnect(config.username(), policy.nameTakenRetryWindow(),
                  ((ServerErrorException) why).serverText());
            }
          } else {
            will = policy.enabled() && next - nameTakenRetries <= policy.maxAttempts() && !isFinal(why);
            delay = will ? backoff(policy, next) : Duration.ZERO;
          }
          if (will) {
            attempt = next;
          }
          state = State.RECONNECTING;
          Disconnection d = new Disconnection(why, will, next, delay);
          dispatch(() -> {
            safely("onDisconnected", () -> listener.onDisconnected(this, d));
            afterDisconnected(d);
          });
          break;
        }
        default:
          break;
      }
    } finally {
      lock.unlock();
    }
  }

  private static Duration backoff(ReconnectPolicy policy, int attempt) {
    return policy.delayBeforeAttempt(attempt, () -> ThreadLocalRandom.current().nextDouble());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static boolean isNameTaken(Throwable cause) {
    return cause instanceof ServerErrorException && ((ServerErrorException) cause).code() == ErrorCode.NAME_TAKEN;
  }

  private static boolean isFinal(Throwable cause) {
    if (cause instanceof TlsException) {
      // A refused certificate would be refused again; other handshake failures may be passing.
      return ((TlsException) cause).reason().isCertificateProblem();
    }
    return cause instanceof ServerErrorException && NO_RECONNECT.contains(((ServerErrorException) cause).code());
  }

  /** On the callback executor, after the listener had its say. */
  private void afterDisconnected(Disconnection d) {
    lock.lock();
    try {
      if (state != State.RECONNECTING) {
        return; // closed meanwhile
      }
      if (d.willReconnect() && !d.reconnectCancelled()) {
        reconnectTask = ClientThreads.schedule(this::reconnectNow, d.reconnectDelay());
        return;
      }
    } finally {
      lock.unlock();
    }
    terminate(d.cause());
  }

  private void reconnectNow() {
    Connection c;
    lock.lock();
    try {
      if (state != State.RECONNECTING || connection != null) {
        return;
      }
      reconnectTask = null;
      c = newConnection();
      connection = c;
    } finally {
      lock.unlock();
    }
    log.debug("{} reconnecting to {} (attempt {})", config.username(), config.address(), attempt);
    c.start();
  }

  /** Enters CLOSED and calls onClosed, exactly once. */
  private void terminate(Throwable cause) {
    lock.lock();
    try {
      if (terminated) {
        return;
      }
      terminated = true;
      state = State.CLOSED;
      cancelReconnect();
      dispatch(() -> {
        if (!connectFuture.isDone()) {
          connectFuture.completeExceptionally(new NotConnectedException("closed before connect() was called"));
        }
        safely("onClosed", () -> listener.onClosed(this, cause));
        closedFuture.complete(null);
      });
    } finally {
      lock.unlock();
    }
  }

  // ---- callbacks ----

  void dispatch(Runnable task) {
    callbacks.execute(task);
  }

  void deliver(Event event) {
    dispatch(() -> deliverNow(event));
  }

  void deliverServerError(ErrorCode code, String text) {
    dispatch(() -> safely("onServerError", () -> listener.onServerError(this, code, text)));
  }

  void deliverServerText(String text) {
    dispatch(() -> safely("onServerText", () -> listener.onServerText(this, text)));
  }

  private void deliverNow(Event event) {
    if (event instanceof Event.Message) {
      Event.Message m = (Event.Message) event;
      safely("onMessage", () -> listener.onMessage(this, m.from(), m.text(), m.audience()));
    } else if (event instanceof Event.UserJoined) {
      safely("onJoin", () -> listener.onJoin(this, ((Event.UserJoined) event).name()));
    } else if (event instanceof Event.UserLeft) {
      Event.UserLeft left = (Event.UserLeft) event;
      safely("onLeave", () -> listener.onLeave(this, left.name(), left.reason(), left.detail()));
    } else if (event instanceof Event.Notice) {
      safely("onNotice", () -> listener.onNotice(this, ((Event.Notice) event).text()));
    }
  }

  private void safely(String callback, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("ChatListener.{} of {} threw", callback, config.username(), e);
    }
  }

  @Override
  public String toString() {
    return "ChatClient[" + config.username() + "@" + config.address() + ", " + config.dialect() + ", " + state()
        + "]";
  }
}
