package io.github.obrol.client;

import io.github.obrol.client.internal.ClientSettings;
import io.github.obrol.client.internal.DefaultChatClient;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ProtocolDefaults;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A connection to an Obrol-protocol chat server as one user, in the modern or the classic dialect
 * (PROTOCOL.md). Build one with {@link #builder()}; it does nothing until {@link #connect()}.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder()
 *     .address("localhost", 9009)
 *     .username("alice")
 *     .listener(new ChatListener() {
 *       public void onMessage(ChatClient c, String sender, String text, Audience audience) {
 *         System.out.println(sender + ": " + text);
 *       }
 *     })
 *     .build();
 * client.connect().join();
 * client.sendAll("hello, world").join();
 * System.out.println(client.listUsers().join());
 * client.close();
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * {@link State#NEW} → {@link #connect()} → {@link State#CONNECTING} → login accepted → {@link
 * State#CONNECTED}. A lost connection leads to {@link State#RECONNECTING} if the {@link ReconnectPolicy}
 * allows, back to {@code CONNECTED} on success; otherwise, and after {@link #close()} ({@link
 * State#CLOSING}) or {@link #abort()}, to {@link State#CLOSED}, which is final. A client connects once:
 * build a new one (for example with {@link #newBuilder()}) to start over.
 *
 * <h2>Requests and answers</h2>
 *
 * Every method returns at once; none blocks on the network. The futures complete on the callback
 * executor, in order with the {@link ChatListener} callbacks (see there). In the modern dialect every
 * request has exactly one reply, in order (MD-REPLY-1), so each future completes with the server's answer.
 * Each future can fail with: {@link NotConnectedException} (not connected now), {@link
 * QueueFullException} (outbound queue full), {@link ChatTimeoutException} ({@linkplain
 * Builder#requestTimeout request timeout}), {@link ConnectionLostException} (the connection ended before
 * the answer), and for the named requests {@link ServerErrorException} and its subtypes.
 *
 * <h2>Outbound queue</h2>
 *
 * Frames wait in a queue bounded in bytes ({@link Builder#maxQueuedBytes}) until a writer thread sends
 * them. A frame that does not fit is refused at once ({@link QueueFullException}, or {@code false} from
 * {@link #trySendAll}); {@link #queuedBytes()} says how full the queue is.
 *
 * <h2>The classic dialect</h2>
 *
 * The classic wire (PROTOCOL.md section 5) carries less, and the original server ({@code chatserver.py})
 * joins two frames that arrive in one read (CL-FRAME-4). The client does its best and differs as follows:
 *
 * <ul>
 *   <li><b>Login</b> has no reply (CL-LOGIN-2). After sending it the client waits {@linkplain
 *       Builder#classicQuietPeriod the quiet period}, then asks for the user list; the login counts as
 *       accepted when the list names the user. {@code username sudah dipake} fails the connect with {@link
 *       NameTakenException}, {@code invalid name} with {@link InvalidNameException}. Without a list after ten
 *       quiet periods the client asks again, because a server that frames by read boundaries and was slow
 *       to read may have merged the request into the login frame.
 *   <li><b>{@link #sendAll} and {@link #sendTo}</b> have no reply (CL-SENDALL-1, CL-SENDTO-1): their futures
 *       complete when the frame has been written to the socket, not when the server carried it out. An
 *       error the server sends later (such as {@code no such user}, CL-SENDTO-2) reaches {@link
 *       ChatListener#onServerError}; {@link NoSuchUserException} never fails a classic future.
 *   <li><b>{@link #listUsers}</b>: the list has no end marker (CL-LIST-2); it is complete at the next frame
 *       that starts with CR or after the quiet period without bytes, so the answer takes at least that long.
 *   <li><b>Pacing</b>: frames go out one at a time. After a list request the writer waits for the list; after
 *       a message it pauses {@linkplain Builder#classicFrameSpacing the frame spacing}; after the login the
 *       quiet period. This keeps frames apart for servers that frame by read boundaries.
 *   <li><b>Messages</b> arrive with {@link io.github.obrol.protocol.Audience#UNKNOWN}: private and broadcast
 *       look alike (CL-SENDTO-1). Leaves arrive with {@link io.github.obrol.protocol.LeaveReason#UNKNOWN}.
 *   <li><b>Texts</b> are sent as given, but a classic server collapses runs of whitespace into one space and
 *       trims the ends (section 5.2).
 *   <li><b>Closing</b> sends no {@code quit} (the original server does not know it): {@link #close()} writes
 *       what is queued, waits for a pending list, then closes the socket. There is no keep-alive.
 * </ul>
 *
 * <h2>TLS and authentication</h2>
 *
 * {@link Builder#tls} secures the connection ({@link ClientTls}; a failed handshake fails the connect with
 * {@link TlsException}); {@link Builder#credentials} authenticates with the modern {@code AUTH} verb before
 * the login, on every connection attempt (PROTOCOL.md section 8; refusals are {@link
 * AuthenticationException}s). Credentials need TLS unless {@link Builder#allowCredentialsWithoutTls} says
 * otherwise.
 *
 * <h2>Threads</h2>
 *
 * A client is safe for use by many threads. Each connection uses two platform threads of its own (a
 * reader and a writer, named {@code obrol-client-reader-<name>} and {@code -writer-}); timers share one
 * daemon thread per JVM; callbacks run on the callback executor.
 */
public interface ChatClient extends AutoCloseable {

  /** A new builder with the defaults. */
  static Builder builder() {
    return new Builder();
  }

  /** The states of a client; see the type's Javadoc for the transitions. */
  enum State {
    /** Built, {@link #connect()} not called yet. */
    NEW,
    /** Connecting and logging in for the first time. */
    CONNECTING,
    /** Logged in; requests can be sent. */
    CONNECTED,
    /** The connection was lost; waiting for or running a reconnect attempt. */
    RECONNECTING,
    /** {@link #close()} was called; queued frames are being written. */
    CLOSING,
    /** Closed for good; {@link ChatListener#onClosed} has been or is being called. */
    CLOSED
  }

  /** A builder holding this client's settings, to build a similar client. */
  default Builder newBuilder() {
    return new Builder(this);
  }

  // The settings this client was built with, one accessor each, as on ChatServer. Defaults: see the Builder.

  /** The server's host name or address ({@link Builder#address(String, int)}). */
  String host();

  /** The server's TCP port ({@link Builder#address(String, int)}). */
  int port();

  /** The name this client logs in with ({@link Builder#username}). */
  String username();

  /** The wire dialect ({@link Builder#dialect}). */
  Dialect dialect();

  /** Limit for TCP connect, greeting and login together ({@link Builder#connectTimeout}). */
  Duration connectTimeout();

  /** Limit for each request's answer, counted from the call ({@link Builder#requestTimeout}). */
  Duration requestTimeout();

  /** The most bytes of frames waiting to be written ({@link Builder#maxQueuedBytes}). */
  long maxQueuedBytes();

  /** The longest server line accepted, in bytes ({@link Builder#maxIncomingLineLength}). */
  int maxIncomingLineLength();

  /** When to reconnect after a lost connection ({@link Builder#reconnectPolicy}). */
  ReconnectPolicy reconnectPolicy();

  /** Classic dialect: silence that ends a user list and follows a login ({@link Builder#classicQuietPeriod}). */
  Duration classicQuietPeriod();

  /** Classic dialect: pause after each message frame ({@link Builder#classicFrameSpacing}). */
  Duration classicFrameSpacing();

  /** Runs callbacks and completes futures; {@code null} for the SDK's shared pool ({@link Builder#callbackExecutor}). */
  Executor callbackExecutor();

  /** Receives the client's events ({@link Builder#listener}). */
  ChatListener listener();

  /** How the connection is secured; {@code null} for plain text ({@link Builder#tls}). */
  ClientTls tls();

  /** What the client authenticates with; {@code null} for none ({@link Builder#credentials}). */
  Credentials credentials();

  /** Whether credentials may be sent without TLS ({@link Builder#allowCredentialsWithoutTls}). */
  boolean allowCredentialsWithoutTls();

  /** {@code host:port} (IPv6 literals in brackets), for messages. */
  default String address() {
    return (host().indexOf(':') >= 0 ? "[" + host() + "]" : host()) + ":" + port();
  }

  /** The current state; it may change as soon as this method returns. */
  State state();

  /**
   * Opens the connection and logs in, without blocking. The future completes once the login is accepted
   * (after {@link ChatListener#onConnected}), or fails with {@link NameTakenException}, {@link
   * InvalidNameException}, another {@link ServerErrorException} (such as {@code SERVER_FULL}), {@link
   * UnreachableException}, {@link ChatTimeoutException} ({@linkplain Builder#connectTimeout connect
   * timeout}), {@link ConnectionLostException}, or {@link NotConnectedException} if the client was closed
   * first. A failed connect is not retried; the client is then closed.
   *
   * @throws IllegalStateException if {@code connect()} was called before on this client
   */
  CompletableFuture<Void> connect();

  /**
   * Sends {@code text} to every other user. Modern: completes on {@code OK SEND}. Classic: completes when
   * the frame is written (see the type's Javadoc).
   *
   * @throws IllegalArgumentException if {@code text} is empty, only spaces, or holds control characters
   */
  CompletableFuture<Void> sendAll(String text);

  /**
   * Sends {@code text} to {@code user} only. Modern: completes on {@code OK SENDTO}, or fails with {@link
   * NoSuchUserException}. Classic: completes when the frame is written, and a {@code no such user} answer
   * reaches {@link ChatListener#onServerError}.
   *
   * @throws IllegalArgumentException if {@code user} is not a token or {@code text} is not sendable
   */
  CompletableFuture<Void> sendTo(String user, String text);

  /**
   * The logged-in users, oldest login first, this user included (GEN-LIST-1). Classic: complete after the
   * quiet period (CL-LIST-2).
   */
  CompletableFuture<List<String>> listUsers();

  /**
   * Queues a broadcast if the client is connected and the frame fits in the queue, and returns whether it
   * did; never throws for those conditions. The outcome of a queued message is not reported.
   *
   * @throws IllegalArgumentException if {@code text} is not sendable, as for {@link #sendAll}
   */
  boolean trySendAll(String text);

  /** The bytes of frames queued and not yet written, never more than {@link Builder#maxQueuedBytes}. */
  long queuedBytes();

  /**
   * Closes gracefully and waits until the client is closed: {@link #closeAsync(String)} without a reason,
   * then waiting for its future. Called from a callback of this client (or a future completing on its
   * callback executor) it starts the close without waiting, which would deadlock. Idempotent.
   */
  @Override
  default void close() {
    close("");
  }

  /**
   * As {@link #close()}, with a quit reason that the other users see in the modern dialect ({@code QUIT
   * <reason>}, then {@code LEFT <name> QUIT <reason>}); {@code ""} for none. The classic dialect has no quit
   * frame, so the reason is not sent there.
   *
   * @throws IllegalArgumentException if {@code reason} holds a control character
   */
  void close(String reason);

  /** {@link #closeAsync(String)} without a reason. */
  default CompletableFuture<Void> closeAsync() {
    return closeAsync("");
  }

  /**
   * Closes gracefully, without blocking: refuses new requests, writes what is queued, waits for outstanding
   * answers, then says goodbye (modern {@code QUIT reason}) and closes the socket. If that takes longer
   * than the request timeout, the client aborts. The future completes after {@link ChatListener#onClosed}.
   * Idempotent: later calls return the same future (and do not change the reason).
   *
   * @throws IllegalArgumentException if {@code reason} holds a control character
   */
  CompletableFuture<Void> closeAsync(String reason);

  /**
   * Closes at once: the socket is closed, queued frames are dropped, and every pending future fails with
   * {@link ConnectionLostException} (or {@link NotConnectedException} for a connect in progress). The
   * future completes after {@link ChatListener#onClosed}. Idempotent.
   */
  CompletableFuture<Void> abort();

  /**
   * Builds {@link ChatClient}s. Settings are checked by {@link #build()}; every setting has a default
   * except {@link #address} and {@link #username}.
   */
  final class Builder {
    private String host;
    private int port;
    private String username;
    private Dialect dialect = Dialect.MODERN;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private long maxQueuedBytes = 1 << 20;
    private int maxIncomingLineLength = ProtocolDefaults.MAX_SERVER_FRAME_LENGTH;
    private ReconnectPolicy reconnectPolicy = ReconnectPolicy.disabled();
    private Duration classicQuietPeriod = ProtocolDefaults.CLASSIC_QUIET_PERIOD;
    private Duration classicFrameSpacing = Duration.ofMillis(50);
    private Executor callbackExecutor;
    private ChatListener listener = new ChatListener() {};
    private ClientTls tls;
    private Credentials credentials;
    private boolean allowCredentialsWithoutTls;

    Builder() {}

    Builder(ChatClient client) {
      host = client.host();
      port = client.port();
      username = client.username();
      dialect = client.dialect();
      connectTimeout = client.connectTimeout();
      requestTimeout = client.requestTimeout();
      maxQueuedBytes = client.maxQueuedBytes();
      maxIncomingLineLength = client.maxIncomingLineLength();
      reconnectPolicy = client.reconnectPolicy();
      classicQuietPeriod = client.classicQuietPeriod();
      classicFrameSpacing = client.classicFrameSpacing();
      callbackExecutor = client.callbackExecutor();
      listener = client.listener();
      tls = client.tls();
      credentials = client.credentials();
      allowCredentialsWithoutTls = client.allowCredentialsWithoutTls();
    }

    /** The server's host name or address and TCP port. Required. The host is resolved at each connect. */
    public Builder address(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** The server's address. Required. */
    public Builder address(InetSocketAddress address) {
      Objects.requireNonNull(address, "address");
      return address(address.getHostString(), address.getPort());
    }

    /**
     * The name to log in with. Required. Checked against the name rules (GEN-NAME-1, GEN-NAME-3) by
     * {@link #build()}, as CLIENT-2 asks.
     */
    public Builder username(String username) {
      this.username = username;
      return this;
    }

    /**
     * The wire dialect. Default {@link Dialect#MODERN}. Use {@link Dialect#CLASSIC} for servers that speak
     * only the classic dialect, such as the original {@code chatserver.py}; see {@link ChatClient} for what
     * differs.
     */
    public Builder dialect(Dialect dialect) {
      this.dialect = dialect;
      return this;
    }

    /** Limit for opening the TCP connection, the greeting and the login together. Default 10 seconds. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Limit for the answer to each request, counted from the call (queueing included), and for a graceful
     * {@link ChatClient#close()}. Default 10 seconds.
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** The most bytes of encoded frames that may wait to be written. Default 1 MiB (1,048,576 bytes). */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      this.maxQueuedBytes = maxQueuedBytes;
      return this;
    }

    /**
     * The longest server line accepted, in bytes; longer lines are dropped. Default and minimum 1 MiB,
     * the longest line a server may send (GEN-LINE-3).
     */
    public Builder maxIncomingLineLength(int maxIncomingLineLength) {
      this.maxIncomingLineLength = maxIncomingLineLength;
      return this;
    }

    /** When to reconnect after an established connection is lost. Default {@link ReconnectPolicy#disabled()}. */
    public Builder reconnectPolicy(ReconnectPolicy reconnectPolicy) {
      this.reconnectPolicy = reconnectPolicy;
      return this;
    }

    /**
     * Classic dialect only: the silence after which a user list counts as complete (CL-LIST-2), and the
     * wait after the login before the client confirms it (CL-FRAME-4). Default 100 ms, minimum 10 ms; use
     * at least the server's quiet period.
     */
    public Builder classicQuietPeriod(Duration classicQuietPeriod) {
      this.classicQuietPeriod = classicQuietPeriod;
      return this;
    }

    /**
     * Classic dialect only: the pause after writing each {@code sendall} or {@code sendto} frame before the
     * next frame, so that a server that frames by read boundaries reads them apart (CL-FRAME-4). It caps a
     * classic client at about one message per spacing. Default 50 ms; {@link Duration#ZERO} for servers
     * that frame by LF, such as Obrol's.
     */
    public Builder classicFrameSpacing(Duration classicFrameSpacing) {
      this.classicFrameSpacing = classicFrameSpacing;
      return this;
    }

    /**
     * Runs the listener's callbacks and completes the futures; the client serialises its tasks, so the
     * executor may be shared by many clients and may have many threads. It must run tasks on threads of its
     * own, not on the submitting thread (not {@code Runnable::run}): otherwise callbacks would run on the
     * client's I/O threads. Default {@code null}: a pool of daemon threads shared by all clients.
     */
    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = callbackExecutor;
      return this;
    }

    /** Receives the client's events. Default: a listener that ignores them. */
    public Builder listener(ChatListener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * Connects with TLS (1.3 or 1.2), trusting and verifying as {@code tls} says; see {@link ClientTls}.
     * A handshake that fails fails the connect with {@link TlsException}. Default {@code null}: plain text.
     */
    public Builder tls(ClientTls tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Authenticates with {@code credentials} before logging in (modern dialect only): after the greeting
     * the client sends {@code AUTH} with the credentials' mechanism if the server announces it, then
     * {@code LOGIN}, on the first connection and on every reconnect. Failures fail the connect with {@link
     * AuthenticationException}. Needs {@link #tls} unless {@link #allowCredentialsWithoutTls(boolean)}.
     * Default {@code null}: no authentication.
     */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * Lets {@link #credentials} cross a plain-text connection, where anyone on the path can read them:
     * only for tests on loopback and networks that are private end to end. Default {@code false}: {@link
     * #build()} refuses credentials without {@link #tls}.
     */
    public Builder allowCredentialsWithoutTls(boolean allow) {
      this.allowCredentialsWithoutTls = allow;
      return this;
    }

    /**
     * A new client with these settings, in state {@link State#NEW}.
     *
     * @throws IllegalArgumentException if a setting is missing or out of range; the message reads
     *     {@code "field: value (expected: ...)"}
     */
    public ChatClient build() {
      return new DefaultChatClient(new ClientSettings(host, port, username, dialect, connectTimeout, requestTimeout,
          maxQueuedBytes, maxIncomingLineLength, reconnectPolicy, classicQuietPeriod, classicFrameSpacing,
          callbackExecutor, listener, tls, credentials, allowCredentialsWithoutTls));
    }
  }
}
