package io.github.obrol.server.internal;

import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.ChatServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Sessions without sockets: a fake clock, a {@link LocalRouter}, links that record what a session writes,
 * and one task queue standing for the event loop. Hooks run on the calling thread and complete on the task
 * queue, so a test sees the session wait for them.
 */
final class SessionHarness {
  final ChatServer config;
  final Metrics metrics = new Metrics();
  final LocalRouter router = new LocalRouter(metrics);
  final Hooks hooks;
  final Session.Context context;
  long now = 1_000_000_000L;
  boolean shuttingDown;
  /** While set, scheduled drains wait: events stay in the mailboxes, as when the loop has not run the drain yet. */
  boolean holdDrains;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final List<Conn> drains = new ArrayList<>();
  private long ids;

  SessionHarness(UnaryOperator<ChatServer.Builder> settings) {
    config = settings.apply(ChatServer.builder().hookExecutor(Runnable::run)).build();
    hooks = new Hooks(config.hookExecutor(), config.observers(), config.hookTimeout(), metrics);
    context = new Session.Context(config, router, hooks, metrics, () -> now, () -> shuttingDown);
  }

  SessionHarness() {
    this(b -> b);
  }

  /** A new connection. */
  Conn connect() {
    return connect(null);
  }

  /** A new connection that the server refuses with {@code refuse} (SERVER_FULL). */
  Conn connect(ErrorCode refuse) {
    Conn c = new Conn();
    c.session = new Session(context, c, ++ids, new InetSocketAddress("127.0.0.1", 40000 + (int) ids), Instant.EPOCH,
        new TokenBucket(config.commandsPerSecond(), config.commandBurst(), now), refuse);
    c.session.opened();
    return c;
  }

  /** A modern connection logged in as {@code name}, its output consumed. */
  Conn modern(String name) {
    Conn c = connect();
    c.send("LOGIN " + name + "\n");
    if (!c.take().equals("OK LOGIN " + name + "\n")) {
      throw new AssertionError("login of " + name + " failed");
    }
    return c;
  }

  /** A classic connection logged in as {@code name}. */
  Conn classic(String name) {
    Conn c = connect();
    c.send(name + " says " + name + "\n");
    String out = c.take();
    if (!out.isEmpty()) {
      throw new AssertionError("login of " + name + " failed: " + out);
    }
    return c;
  }

  /** Advances the fake clock and lets every session handle its due deadlines. */
  void advance(Duration d, Conn... conns) {
    now += d.toNanos();
    for (Conn c : conns) {
      c.session.onTimer(now);
      c.pump();
    }
    settle();
  }

  /** Runs queued loop tasks and scheduled drains until none is left (bounded). */
  void settle() {
    for (int round = 0; round < 10_000; round++) {
      if (!drains.isEmpty() && !holdDrains) {
        List<Conn> batch = new ArrayList<>(drains);
        drains.clear();
        for (Conn c : batch) {
          c.session.drainTask();
        }
        continue;
      }
      Runnable t = tasks.poll();
      if (t == null) {
        return;
      }
      t.run();
    }
    throw new AssertionError("the loop did not settle");
  }

  /** A connection's link: records output; its executor is the harness's task queue. */
  final class Conn implements Session.Link {
    Session session;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<String> writtenAlone = new ArrayList<>();
    int closes;
    boolean inputReady;
    Session.Input last;
    ByteBuffer held;
    int yields;

    /** Sends bytes as one read; handles them fully (yielding as a transport would), then settles. */
    void send(byte[] bytes) {
      held = ByteBuffer.wrap(bytes);
      last = session.receive(held, true);
      drive();
    }

    void send(String text) {
      send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands the held bytes again, as the transport does after a yield or a wake-up. */
    void pump() {
      last = session.receive(held != null ? held : ByteBuffer.allocate(0), false);
      drive();
    }

    private void drive() {
      for (int i = 0; i < 1_000_000 && last == Session.Input.YIELD; i++) {
        yields++;
        settle();
        last = session.receive(held, false);
      }
      settle();
    }

    /** Everything written since the last take, as UTF-8. */
    String take() {
      settle();
      String s = out.toString(StandardCharsets.UTF_8);
      out.reset();
      return s;
    }

    @Override
    public void write(byte[] frame) {
      out.writeBytes(frame);
    }

    @Override
    public void writeAlone(byte[] frame) {
      writtenAlone.add(new String(frame, StandardCharsets.UTF_8));
      out.writeBytes(frame);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      closes++;
    }

    @Override
    public void inputReady() {
      inputReady = true;
      tasks.add(this::pump);
    }

    @Override
    public void scheduleDrain() {
      drains.add(this);
    }

    @Override
    public Executor executor() {
      return tasks::add;
    }
  }
}
