package io.github.obrol.conformance.mutants;

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
import io.github.obrol.protocol.ModernCommandDecoder;
import io.github.obrol.protocol.ModernServerMessageEncoder;
import io.github.obrol.protocol.Names;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small chat server for proving the suite: correct (both dialects on one port, on the protocol's own
 * framers and codecs) unless built with a {@link Mutation}, each of which breaks exactly one rule. A
 * thread per connection, one lock for the whole state: simple enough to be obviously right.
 */
public final class MutantServer implements AutoCloseable {

  /** One deliberate defect, and the rule it breaks. */
  public enum Mutation {
    NONE(""),
    ECHO_BROADCAST_TO_SENDER("GEN-DELIVER-1"),
    ACCEPT_DUPLICATE_NAMES("GEN-NAME-4"),
    DROP_ONE_RECIPIENT("GEN-DELIVER-1"),
    LEAK_PRIVATE_MESSAGES("GEN-DELIVER-2"),
    NO_JOIN_NOTICE("GEN-JOIN-1"),
    NO_LEAVE_NOTICE("GEN-LEAVE-1"),
    REORDER_MESSAGES("GEN-ORDER-2"),
    TRUST_SPOOFED_NAME("CL-AUTH-1"),
    IGNORE_LINE_LIMIT("GEN-LINE-2"),
    NEVER_FREE_NAMES("GEN-NAME-5"),
    CASE_SENSITIVE_NAMES("GEN-NAME-2"),
    LIST_NEWEST_FIRST("GEN-LIST-1"),
    UNBOUNDED_SEND_QUEUE("GEN-LIMIT-5"),
    // The codec layer: bugs an encoder or decoder of Obrol could have. The suite predicts the bytes from its
    // own literal tables, so each is caught.
    /** The classic message encoder drops the space before LF ({@code "\ra says hi\n"}). */
    TRAILING_SPACE_DROPPED("CL-SENDALL-1"),
    /** The name check forgets one reserved word ({@code notice}, any case). */
    RESERVED_WORD_ACCEPTED("GEN-NAME-3"),
    /** The classic encoder forgets the CR that starts an event frame (the frame's escape from the prompt). */
    NO_LEADING_CR("CL-SFRAME-1"),
    /** The classic list encoder merges the entry lines into the header's frame. */
    MERGED_LIST_LINES("CL-LIST-1");

    private final String brokenRule;

    Mutation(String brokenRule) {
      this.brokenRule = brokenRule;
    }

    /** Whether the defect shows in the classic dialect only. */
    public boolean classicOnly() {
      return this == TRUST_SPOOFED_NAME || this == TRAILING_SPACE_DROPPED || this == NO_LEADING_CR
          || this == MERGED_LIST_LINES;
    }

    /** The rule this mutation breaks. */
    public String brokenRule() {
      return brokenRule;
    }
  }

  private final Mutation mutation;
  /** Authentication (PROTOCOL.md section 8), or null for a server that does not authenticate. */
  private final AuthSetup auth;
  /** Failed AUTH attempts per account key (AUTH-11, simplified: no delay, refusal after 5). */
  private final Map<String, Integer> authFailures = new HashMap<>();
  private final int maxLineLength;
  private final Duration quietPeriod;
  private final Duration loginTimeout;
  private final long maxQueuedBytes;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final List<Conn> connections = new CopyOnWriteArrayList<>();
  /** Logged-in users in order of login (a list: the duplicate-names mutant puts two users under one key). */
  private final List<Conn> users = new ArrayList<>();
  private final Set<String> everUsed = new HashSet<>();
  private final Map<Conn, Event.Message> heldMessages = new HashMap<>();
  private volatile boolean closed;

  private MutantServer(Mutation mutation, int maxLineLength, Duration quietPeriod, Duration loginTimeout,
      long maxQueuedBytes, int port) throws IOException {
    this(mutation, null, maxLineLength, quietPeriod, loginTimeout, maxQueuedBytes, port);
  }

  private MutantServer(Mutation mutation, AuthSetup auth, int maxLineLength, Duration quietPeriod,
      Duration loginTimeout, long maxQueuedBytes, int port) throws IOException {
    this.mutation = mutation;
    this.auth = auth;
    this.maxLineLength = maxLineLength;
    this.quietPeriod = quietPeriod;
    this.loginTimeout = loginTimeout;
    this.maxQueuedBytes = maxQueuedBytes;
    this.listener = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "mutant-accept-" + mutation);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server with {@code mutation}, a 50 ms quiet period, no login timeout and a 1 MiB send queue per connection. */
  public static MutantServer start(Mutation mutation) throws IOException {
    return start(mutation, null);
  }

  /** As {@link #start(Mutation)}, with a login timeout (null for none). */
  public static MutantServer start(Mutation mutation, Duration loginTimeout) throws IOException {
    return start(mutation, loginTimeout, 0);
  }

  /** As {@link #start(Mutation, Duration)}, on {@code port} (0 for any free port). */
  public static MutantServer start(Mutation mutation, Duration loginTimeout, int port) throws IOException {
    return new MutantServer(mutation, ProtocolDefaults.MAX_LINE_LENGTH, Duration.ofMillis(50), loginTimeout, 1 << 20, port);
  }

  /** One deliberate defect of the authentication (PROTOCOL.md section 8), and the rule it breaks. */
  public enum AuthMutation {
    NONE(""),
    /** PLAIN succeeds whatever the password. */
    ACCEPT_WRONG_PASSWORD("AUTH-5"),
    /** An authenticated account may log in under any name. */
    ANY_NAME_AFTER_AUTH("AUTH-10"),
    /** Failures are never throttled. */
    NEVER_THROTTLE("AUTH-11"),
    /** PLAIN is not announced on plain text, but taken there anyway (the password crossed in clear text). */
    PLAIN_OVER_PLAIN_TEXT("AUTH-9");

    private final String brokenRule;

    AuthMutation(String brokenRule) {
      this.brokenRule = brokenRule;
    }

    /** The rule this defect breaks. */
    public String brokenRule() {
      return brokenRule;
    }
  }

  /**
   * How the server authenticates: its accounts ({@code name -> password}), its TLS context (TLS and plain text
   * share the port, told apart by the first byte, TLS-1), whether LOGIN needs AUTH, and a defect.
   */
  public record AuthSetup(Map<String, String> accounts, javax.net.ssl.SSLContext tls, boolean required,
      AuthMutation defect) {}

  /** A correct server (no {@link Mutation}) that authenticates as {@code auth} says. */
  public static MutantServer startWithAuth(AuthSetup auth) throws IOException {
    return new MutantServer(Mutation.NONE, auth, ProtocolDefaults.MAX_LINE_LENGTH, Duration.ofMillis(50), null, 1 << 20,
        0);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  public Duration quietPeriod() {
    return quietPeriod;
  }

  public Duration loginTimeout() {
    return loginTimeout;
  }

  /** Shuts down: every connection is told SHUTTING_DOWN and closed, with no leave notices (GEN-LEAVE-2). */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    synchronized (this) {
      shuttingDown = true;
      for (Conn c : connections) {
        c.closeAfter(c.dialect == null ? null : new Event.Bye(ErrorCode.SHUTTING_DOWN, "the server is shutting down"));
      }
    }
    for (Conn c : connections) {
      c.awaitWriterDone(Duration.ofSeconds(2));
      c.closeSocket();
    }
  }

  private boolean shuttingDown;

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = listener.accept();
        s.setTcpNoDelay(true);
        if (auth != null && auth.tls() != null) {
          Thread detect = new Thread(() -> startTlsOrPlain(s), "mutant-detect");
          detect.setDaemon(true);
          detect.start();
          continue;
        }
        Conn c = new Conn(s);
        connections.add(c);
        c.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** TLS-1: a first byte 0x16 starts a TLS handshake; anything else is plain text, that byte included. */
  private void startTlsOrPlain(Socket s) {
    try {
      int first = s.getInputStream().read();
      if (first < 0) {
        s.close();
        return;
      }
      byte[] consumed = {(byte) first};
      Conn c;
      if (first == 0x16) {
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) auth.tls().getSocketFactory()
            .createSocket(s, new java.io.ByteArrayInputStream(consumed), true);
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        c = new Conn(ssl);
        c.tls = true;
      } else {
        c = new Conn(s);
        c.input = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(consumed), s.getInputStream());
      }
      if (closed) {
        s.close();
        return;
      }
      connections.add(c);
      c.start();
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Gone already.
      }
    }
  }

  /** AUTH (PROTOCOL.md section 8.2), PLAIN only. */
  private void authenticate(Conn c, ClientCommand command) {
    if (!(command instanceof ClientCommand.Authenticate)) {
      c.reply(error(ErrorCode.INVALID_COMMAND, "no exchange in progress")); // AUTH-6: AUTH + / AUTH * alone
      return;
    }
    ClientCommand.Authenticate a = (ClientCommand.Authenticate) command;
    if (c.account != null || c.name != null) {
      c.reply(error(ErrorCode.INVALID_COMMAND, "already authenticated or logged in")); // AUTH-7
      return;
    }
    if (!a.mechanism().equals("PLAIN")) {
      c.reply(error(ErrorCode.AUTH_UNSUPPORTED, "offered: PLAIN"));
      return;
    }
    if (!plainOffered(c) && auth.defect() != AuthMutation.PLAIN_OVER_PLAIN_TEXT) {
      c.reply(error(ErrorCode.TLS_REQUIRED, "PLAIN needs TLS")); // AUTH-9
      return;
    }
    if (a.initialResponse().isEmpty()) {
      c.reply(error(ErrorCode.INVALID_COMMAND, "PLAIN needs an initial response"));
      return;
    }
    String account = null;
    String password = null;
    try {
      String[] parts = new String(java.util.Base64.getDecoder().decode(a.initialResponse()),
          java.nio.charset.StandardCharsets.UTF_8).split("\0", -1);
      if (parts.length == 3) {
        account = parts[1];
        password = parts[2];
      }
    } catch (IllegalArgumentException e) {
      // Malformed: a failure like any other (AUTH-5).
    }
    String accountKey = account == null ? "" : Names.key(account);
    int failures = authFailures.getOrDefault(accountKey, 0);
    if (failures >= 5 && auth.defect() != AuthMutation.NEVER_THROTTLE) {
      c.reply(error(ErrorCode.AUTH_THROTTLED, "too many failures; retry in 60 s"));
      return;
    }
    String expected = account == null ? null : auth.accounts().get(account);
    boolean ok = expected != null && (expected.equals(password) || auth.defect() == AuthMutation.ACCEPT_WRONG_PASSWORD);
    if (ok) {
      authFailures.remove(accountKey);
      c.account = account;
      c.reply(new Reply.AuthOk(account));
    } else {
      authFailures.put(accountKey, failures + 1);
      c.reply(error(ErrorCode.AUTH_FAILED, "authentication failed"));
    }
  }

  private boolean plainOffered(Conn c) {
    return c.tls;
  }

  // ---------------------------------------------------------------- state changes (under this lock)

  private synchronized void process(Conn c, Frame frame) {
    c.lines++;
    if (frame instanceof Frame.TooLong) {
      c.reply(error(ErrorCode.LINE_TOO_LONG, "line longer than " + maxLineLength + " bytes"));
      return;
    }
    byte[] bytes = ((Frame.Line) frame).bytes();
    if (mutation == Mutation.RESERVED_WORD_ACCEPTED && c.name == null) {
      String[] t = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).trim().split(" +");
      String name = c.dialect == Dialect.MODERN ? (t.length == 2 && t[0].equals("LOGIN") ? t[1] : null)
          : (t.length >= 3 && t[1].equals("says") && t[0].equals(t[2]) ? t[0] : null);
      if (name != null && name.equalsIgnoreCase("notice")) {
        login(c, name);
        return;
      }
    }
    if (c.dialect == Dialect.MODERN) {
      DecodeResult<ClientCommand> r = ModernCommandDecoder.decode(bytes);
      if (r instanceof DecodeResult.Failure) {
        DecodeResult.Failure<ClientCommand> f = (DecodeResult.Failure<ClientCommand>) r;
        c.reply(error(f.code(), f.message()));
        return;
      }
      handle(c, r.value(), c.name);
      return;
    }
    DecodeResult<ClassicCommand> r = ClassicCommandDecoder.decode(bytes);
    if (r instanceof DecodeResult.Failure) {
      DecodeResult.Failure<ClassicCommand> f = (DecodeResult.Failure<ClassicCommand>) r;
      boolean says = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).trim().split("[ \t\u000b\u000c]+").length >= 3;
      if (c.name == null && f.code() == ErrorCode.INVALID_COMMAND && says) {
        c.reply(Reply.Error.of(ErrorCode.NOT_LOGGED_IN));
      } else {
        c.reply(error(f.code(), f.message()));
      }
      return;
    }
    ClassicCommand cc = r.value();
    if (!(cc.command() instanceof ClientCommand.Login)) {
      if (c.name == null) {
        c.reply(Reply.Error.of(ErrorCode.NOT_LOGGED_IN));
        return;
      }
      if (!cc.claimedName().equals(c.name)) {
        if (mutation != Mutation.TRUST_SPOOFED_NAME) {
          c.reply(error(ErrorCode.NAME_MISMATCH, "you are " + c.name));
          return;
        }
        handle(c, cc.command(), cc.claimedName());
        return;
      }
    }
    handle(c, cc.command(), c.name);
  }

  private void handle(Conn c, ClientCommand command, String sender) {
    if (command instanceof ClientCommand.Hello) {
      if (c.lines != 1) {
        c.reply(error(ErrorCode.INVALID_COMMAND, "HELLO only as the first line"));
      } else if (((ClientCommand.Hello) command).versions().contains(ProtocolDefaults.VERSION)) {
        Map<String, String> caps = new LinkedHashMap<>();
        caps.put("maxline", String.valueOf(maxLineLength));
        caps.put("maxname", String.valueOf(ProtocolDefaults.MAX_NAME_LENGTH));
        caps.put("idle", "0");
        caps.put("server", "mutant/" + mutation.name().toLowerCase(java.util.Locale.ROOT));
        if (auth != null) {
          if (plainOffered(c)) {
            caps.put("auth", "PLAIN");
          }
          if (auth.required()) {
            caps.put("authreq", "1");
          }
        }
        c.reply(new Reply.HelloOk(ProtocolDefaults.VERSION, caps));
      } else {
        c.reply(error(ErrorCode.UNSUPPORTED_VERSION, "this server speaks obrol/1"));
        c.closeAfter(new Event.Bye(ErrorCode.UNSUPPORTED_VERSION, "this server speaks obrol/1"));
      }
      return;
    }
    if (command instanceof ClientCommand.Ping) {
      c.reply(new Reply.PingOk(((ClientCommand.Ping) command).token()));
      return;
    }
    if (command instanceof ClientCommand.Quit) {
      c.reply(new Reply.QuitOk());
      String reason = ((ClientCommand.Quit) command).reason();
      depart(c, LeaveReason.QUIT, reason);
      c.closeAfter(null);
      return;
    }
    if (auth != null && (command instanceof ClientCommand.Authenticate || command instanceof ClientCommand.AuthResponse
        || command instanceof ClientCommand.AuthAbort)) {
      authenticate(c, command);
      return;
    }
    if (command instanceof ClientCommand.Login) {
      String wanted = ((ClientCommand.Login) command).name();
      if (auth != null && c.name == null && c.account == null && auth.required()) {
        c.reply(error(ErrorCode.AUTH_REQUIRED, "log in with AUTH first")); // AUTH-10
        return;
      }
      if (auth != null && c.name == null && c.account != null && !Names.key(wanted).equals(Names.key(c.account))
          && auth.defect() != AuthMutation.ANY_NAME_AFTER_AUTH) {
        c.reply(error(ErrorCode.NAME_NOT_ALLOWED, "account " + c.account + " may not use the name " + wanted));
        return;
      }
      login(c, wanted);
      return;
    }
    if (c.name == null) {
      c.reply(error(ErrorCode.NOT_LOGGED_IN, "log in first"));
      return;
    }
    handleLoggedIn(c, command, sender);
  }

  private void login(Conn c, String name) {
    {
      if (c.name != null) {
        c.reply(error(ErrorCode.ALREADY_LOGGED_IN, "you are " + c.name));
      } else if (taken(name)) {
        c.reply(error(ErrorCode.NAME_TAKEN, "taken"));
      } else {
        c.name = name;
        users.add(c);
        everUsed.add(key(name));
        c.reply(new Reply.LoginOk(name));
        if (mutation != Mutation.NO_JOIN_NOTICE) {
          others(c).forEach(o -> o.send(new Event.UserJoined(name)));
        }
      }
    }
  }

  private void handleLoggedIn(Conn c, ClientCommand command, String sender) {
    if (!(command instanceof ClientCommand.SendAll)) {
      flushHeld(c);
    }
    if (command instanceof ClientCommand.ListUsers) {
      List<String> names = new ArrayList<>();
      users.forEach(u -> names.add(u.name));
      if (mutation == Mutation.LIST_NEWEST_FIRST) {
        java.util.Collections.reverse(names);
      }
      c.reply(new Reply.UserList(names));
    } else if (command instanceof ClientCommand.SendAll) {
      Event.Message m = new Event.Message(sender, ((ClientCommand.SendAll) command).text(), Audience.BROADCAST);
      c.reply(new Reply.SendAllOk());
      List<Conn> recipients = mutation == Mutation.ECHO_BROADCAST_TO_SENDER ? new ArrayList<>(users) : others(c);
      if (mutation == Mutation.DROP_ONE_RECIPIENT && recipients.size() >= 2) {
        recipients.remove(recipients.size() - 1);
      }
      if (mutation == Mutation.REORDER_MESSAGES) {
        reorder(c, recipients, m);
      } else {
        recipients.forEach(o -> o.send(m));
      }
    } else if (command instanceof ClientCommand.SendTo) {
      ClientCommand.SendTo s = (ClientCommand.SendTo) command;
      Conn to = find(s.recipient());
      if (to == null) {
        c.reply(error(ErrorCode.NO_SUCH_USER, "no user named " + s.recipient() + " is logged in"));
        return;
      }
      c.reply(new Reply.SendToOk(to.name));
      Event.Message m = new Event.Message(sender, s.text(), Audience.PRIVATE);
      to.send(m);
      if (mutation == Mutation.LEAK_PRIVATE_MESSAGES) {
        new ArrayList<>(users).stream().filter(u -> u != to && u != c).forEach(u -> u.send(m));
      }
    }
  }

  /** The reordering mutant holds every other broadcast back and sends it after the next one. */
  private void reorder(Conn sender, List<Conn> recipients, Event.Message m) {
    Event.Message earlier = heldMessages.remove(sender);
    if (earlier == null) {
      heldMessages.put(sender, m);
      return;
    }
    recipients.forEach(o -> o.send(m));
    recipients.forEach(o -> o.send(earlier));
  }

  private void flushHeld(Conn sender) {
    Event.Message m = heldMessages.remove(sender);
    if (m != null) {
      others(sender).forEach(o -> o.send(m));
    }
  }

  private boolean taken(String name) {
    if (mutation == Mutation.NEVER_FREE_NAMES && everUsed.contains(key(name))) {
      return true;
    }
    if (mutation == Mutation.ACCEPT_DUPLICATE_NAMES) {
      return false;
    }
    return find(name) != null;
  }

  private Conn find(String name) {
    for (Conn u : users) {
      if (key(u.name).equals(key(name))) {
        return u;
      }
    }
    return null;
  }

  private String key(String name) {
    return mutation == Mutation.CASE_SENSITIVE_NAMES ? name : Names.key(name);
  }

  private List<Conn> others(Conn c) {
    List<Conn> list = new ArrayList<>(users);
    list.remove(c);
    return list;
  }

  private synchronized void depart(Conn c, LeaveReason reason, String detail) {
    if (c.name == null || !users.remove(c) || shuttingDown) {
      return;
    }
    flushHeld(c);
    String name = c.name;
    if (mutation != Mutation.NO_LEAVE_NOTICE) {
      Event.UserLeft left = new Event.UserLeft(name, reason, detail);
      new ArrayList<>(users).forEach(u -> u.send(left));
    }
  }

  /** The codec mutations: the classic bytes as a buggy encoder would write them. */
  private byte[] codecMutation(ServerMessage m, byte[] bytes) {
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    if (mutation == Mutation.TRAILING_SPACE_DROPPED && m instanceof Event.Message && text.endsWith(" \n")) {
      text = text.substring(0, text.length() - 2) + "\n";
    } else if (mutation == Mutation.NO_LEADING_CR && m instanceof Event && text.startsWith("\r")) {
      text = text.substring(1);
    } else if (mutation == Mutation.MERGED_LIST_LINES && m instanceof Reply.UserList) {
      text = text.substring(0, text.length() - 1).replace("\n", " ") + "\n";
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Reply.Error error(ErrorCode code, String text) {
    return new Reply.Error(code, text.isEmpty() ? code.classicText() : text);
  }

  // ---------------------------------------------------------------- one connection

  private final class Conn {
    private final Socket socket;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final long connectedAt = System.nanoTime();
    private volatile boolean closing;
    Dialect dialect;
    String name;
    int lines;
    /** Whether this connection is TLS; its authenticated account, or null. */
    boolean tls;
    String account;
    /** The stream to read, when the first byte was consumed to tell TLS from plain text; else the socket's. */
    InputStream input;

    Conn(Socket socket) {
      this.socket = socket;
    }

    private Thread writer;

    void start() {
      Thread r = new Thread(this::readLoop, "mutant-read");
      r.setDaemon(true);
      r.start();
      writer = new Thread(this::writeLoop, "mutant-write");
      writer.setDaemon(true);
      writer.start();
    }

    void awaitWriterDone(Duration timeout) {
      try {
        writer.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void reply(ServerMessage m) {
      send(m);
    }

    void send(ServerMessage m) {
      byte[] bytes = dialect == Dialect.MODERN ? ModernServerMessageEncoder.encode(m) : ClassicServerMessageEncoder.encode(m);
      if (dialect == Dialect.CLASSIC) {
        bytes = codecMutation(m, bytes);
      }
      if (bytes.length == 0 || closing) {
        return;
      }
      if (queued.addAndGet(bytes.length) > maxQueuedBytes && mutation != Mutation.UNBOUNDED_SEND_QUEUE) {
        slowConsumer();
        return;
      }
      queue.add(bytes);
    }

    private void slowConsumer() {
      closing = true;
      queue.clear();
      closeSocket();
      depart(this, LeaveReason.SLOW_CONSUMER, "");
    }

    /** Queues {@code last} (if any) and closes once everything queued is written. */
    void closeAfter(ServerMessage last) {
      if (last != null) {
        send(last);
      }
      closing = true;
      queue.add(new byte[0]);
    }

    void closeSocket() {
      try {
        socket.close();
      } catch (IOException e) {
        // Gone either way.
      }
    }

    private void writeLoop() {
      try {
        OutputStream out = socket.getOutputStream();
        while (!socket.isClosed()) {
          byte[] b = queue.poll(200, TimeUnit.MILLISECONDS);
          if (b == null) {
            continue;
          }
          if (b.length == 0) {
            out.flush();
            closeSocket();
            return;
          }
          out.write(b);
          out.flush();
          queued.addAndGet(-b.length);
        }
      } catch (IOException | InterruptedException e) {
        closeSocket();
      }
    }

    private void readLoop() {
      byte[] buf = new byte[8192];
      ByteArrayOutputStream undecided = new ByteArrayOutputStream();
      int max = mutation == Mutation.IGNORE_LINE_LIMIT ? 1 << 24 : maxLineLength;
      LineFramer modern = new LineFramer(max);
      ClassicFramer classic = new ClassicFramer(max);
      try {
        InputStream in = input != null ? input : socket.getInputStream();
        while (true) {
          boolean partial = dialect == null ? undecided.size() > 0 : dialect == Dialect.CLASSIC && classic.hasPartial();
          long loginLeft = name == null && loginTimeout != null
              ? loginTimeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt) : 0;
          if (name == null && loginTimeout != null && loginLeft <= 0) {
            if (dialect == null) {
              dialect = Dialect.MODERN;
            }
            closeAfter(dialect == Dialect.MODERN ? new Event.Bye(ErrorCode.LOGIN_TIMEOUT, "log in sooner")
                : Reply.Error.of(ErrorCode.LOGIN_TIMEOUT));
            return;
          }
          int timeout = partial ? (int) quietPeriod.toMillis() : name == null && loginTimeout != null ? (int) loginLeft : 0;
          socket.setSoTimeout(Math.max(timeout, 0));
          int n;
          try {
            n = in.read(buf);
          } catch (SocketTimeoutException e) {
            if (dialect == null && undecided.size() > 0) {
              byte[] first = undecided.toByteArray();
              dialect = DialectDetector.detectFinal(first, 0, first.length);
              classic.feed(ByteBuffer.wrap(first), f -> process(this, f));
            }
            if (dialect == Dialect.CLASSIC && classic.hasPartial()) {
              classic.quietPeriodElapsed(f -> process(this, f));
            }
            continue;
          }
          if (n < 0) {
            if (dialect == Dialect.CLASSIC) {
              classic.endOfInput(f -> process(this, f));
            }
            break;
          }
          if (dialect == null) {
            undecided.write(buf, 0, n);
            byte[] first = undecided.toByteArray();
            var d = DialectDetector.detect(first, 0, first.length);
            if (d.isEmpty()) {
              continue;
            }
            dialect = d.get();
            undecided.reset();
            feed(dialect == Dialect.MODERN ? modern : null, classic, first, first.length);
            continue;
          }
          feed(dialect == Dialect.MODERN ? modern : null, classic, buf, n);
        }
      } catch (IOException e) {
        // Reset or closed: the user departs below.
      }
      closeSocket();
      depart(this, closing ? LeaveReason.QUIT : LeaveReason.DISCONNECTED, "");
      connections.remove(this);
    }

    private void feed(LineFramer modern, ClassicFramer classic, byte[] bytes, int n) {
      if (modern != null) {
        modern.feed(ByteBuffer.wrap(bytes, 0, n), f -> process(this, f));
      } else {
        classic.feed(ByteBuffer.wrap(bytes, 0, n), f -> process(this, f));
      }
    }
  }
}
