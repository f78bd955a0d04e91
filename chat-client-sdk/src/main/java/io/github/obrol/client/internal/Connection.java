package io.github.obrol.client.internal;

import io.github.obrol.client.ChatException;
import io.github.obrol.client.ChatTimeoutException;
import io.github.obrol.client.ConnectionLostException;
import io.github.obrol.client.NotConnectedException;
import io.github.obrol.client.QueueFullException;
import io.github.obrol.client.ServerErrorException;
import io.github.obrol.client.TlsException;
import io.github.obrol.client.UnreachableException;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Frame;
import io.github.obrol.protocol.LineFramer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection attempt of a client, from connect through login to its end, on blocking JDK sockets
 * with a reader and a writer thread. Subclasses speak a dialect: they encode commands, decode lines and
 * decide what an answer means. A connection ends exactly once ({@link #end}); it then fails what it still
 * holds and tells its client, which decides about reconnecting.
 *
 * <p>All mutable state is guarded by the client's lock, which is never held while calling application code
 * or doing I/O.
 */
abstract class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  /** Largest batch the modern writer gathers into one socket write. */
  private static final int MAX_WRITE_BATCH = 64 * 1024;

  final DefaultChatClient client;
  final ClientSettings config;
  final ReentrantLock lock;
  /** Signalled on every change the writer or a waiting request may care about. */
  final Condition changed;
  final Socket socket = new Socket();
  /** What the threads read and write: {@link #socket}, or the TLS socket layered on it. */
  private volatile Socket io = socket;
  private final LineFramer framer;

  private final ArrayDeque<Outbound> outbound = new ArrayDeque<>();
  private long queuedBytes;
  /** Requests whose answer the wire will carry, in the order they were queued (MD-REPLY-1). */
  final ArrayDeque<Pending> awaitingAnswer = new ArrayDeque<>();
  boolean loggedIn;
  boolean draining;
  boolean ended;
  private final List<Event> eventsBeforeLogin = new ArrayList<>();
  private ScheduledFuture<?> connectTimer;
  volatile long lastWriteNanos = System.nanoTime();

  Connection(DefaultChatClient client) {
    this.client = client;
    this.config = client.settings();
    this.lock = client.lock;
    this.changed = lock.newCondition();
    this.framer = new LineFramer(config.maxIncomingLineLength());
  }

  // ---- dialect hooks ----

  /** The bytes of {@code command}, LF included. */
  abstract byte[] encode(ClientCommand command);

  /** Whether the wire carries an answer to requests of this kind. */
  abstract boolean hasAnswer(Pending.Kind kind);

  /** Queues the greeting and login once the TCP connection is open. Called on the reader thread. */
  abstract void startLogin();

  /** Handles one complete server line (terminator removed). Called on the reader thread. */
  abstract void onLine(byte[] line);

  /** The socket read timeout to use now, 0 for none. Called on the reader thread after every read. */
  int readTimeoutMillis() {
    return 0;
  }

  /** The read timeout passed without a byte. Called on the reader thread. */
  void onReadTimeout() {}

  /** The server closed its side. Called on the reader thread before the connection ends. */
  void onEndOfInput() {}

  /** The writer wrote {@code sent}; may pause the writer. Called on the writer thread without the lock. */
  abstract void afterWrite(List<Outbound> sent) throws InterruptedException, IOException;

  /** Whether the writer may gather several frames into one write. */
  abstract boolean batchWrites();

  /** The queue is empty while draining: finish the connection gracefully. Called on the writer thread. */
  abstract void onDrained();

  // ---- lifecycle ----

  final String threadName(String role) {
    return "obrol-client-" + role + "-" + config.username();
  }

  void start() {
    lock.lock();
    try {
      connectTimer = ClientThreads.schedule(this::connectTimedOut, config.connectTimeout());
    } finally {
      lock.unlock();
    }
    ClientThreads.newThread(threadName("reader"), this::readLoop).start();
  }

  private void connectTimedOut() {
    lock.lock();
    try {
      if (loggedIn || ended) {
        return;
      }
    } finally {
      lock.unlock();
    }
    end(new ChatTimeoutException("connect to " + config.address() + " as " + config.username(),
        config.connectTimeout()));
  }

  /** Starts a graceful close: no new requests; the writer drains the queue, then {@link #onDrained}. */
  void drain() {
    lock.lock();
    try {
      draining = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the connection once: closes the socket, fails every request it still holds, and tells the client.
   * {@code cause} is {@code null} for an orderly end (close, abort, goodbye answered).
   */
  void end(Throwable cause) {
    List<Pending> unanswered = new ArrayList<>();
    boolean wasLoggedIn;
    lock.lock();
    try {
      if (ended) {
        return;
      }
      ended = true;
      wasLoggedIn = loggedIn;
      for (Outbound o : outbound) {
        if (o.pending != null) {
          unanswered.add(o.pending);
        }
      }
      outbound.clear();
      queuedBytes = 0;
      for (Pending p : awaitingAnswer) {
        if (!unanswered.contains(p)) {
          unanswered.add(p);
        }
      }
      awaitingAnswer.clear();
      if (connectTimer != null) {
        connectTimer.cancel(false);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    closeQuietly();
    if (cause != null) {
      log.debug("connection of {} to {} ended", config.username(), config.address(), cause);
    }
    String why = cause == null ? "the connection was closed before the answer arrived"
        : "the connection ended before the answer arrived: " + cause.getMessage();
    for (Pending p : unanswered) {
      fail(p, new ConnectionLostException(why, cause));
    }
    onEnded();
    client.connectionEnded(this, cause, wasLoggedIn);
  }

  /** Called once the connection has ended, before the client learns of it. */
  void onEnded() {}

  private void closeQuietly() {
    // The TCP socket first: closing a TLS socket may wait for a writer blocked on a full send buffer.
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the socket failed", e);
    }
    Socket layered = io;
    if (layered != socket) {
      try {
        layered.close();
      } catch (IOException e) {
        log.debug("closing the TLS socket failed", e);
      }
    }
  }

  /** The login was accepted: deliver what arrived meanwhile and tell the client. */
  final void loggedIn() {
    List<Event> early;
    lock.lock();
    try {
      if (ended || loggedIn) {
        return;
      }
      loggedIn = true;
      connectTimer.cancel(false);
      early = new ArrayList<>(eventsBeforeLogin);
      eventsBeforeLogin.clear();
    } finally {
      lock.unlock();
    }
    client.connectionLoggedIn(this, early);
  }

  /** An event from the server: held until the login is accepted, then delivered in order. */
  final void onEvent(Event event) {
    if (event instanceof Event.Bye) {
      // MD-BYE-1, CL-ERROR-1: nothing follows; the cause decides whether the client reconnects.
      Event.Bye bye = (Event.Bye) event;
      end(ServerErrorException.of(bye.code(), bye.text()));
      return;
    }
    lock.lock();
    try {
      if (ended) {
        return;
      }
      if (!loggedIn) {
        eventsBeforeLogin.add(event);
        return;
      }
      // Under the lock: an event is dispatched before the connection's end is, never after.
      client.deliver(event);
    } finally {
      lock.unlock();
    }
  }

  // ---- requests ----

  /**
   * Queues {@code command} with its pending request and starts its timeout. Returns {@code null} if
   * queued, or the exception that refuses it.
   */
  final ChatException submit(ClientCommand command, Pending pending) {
    byte[] bytes = encode(command);
    lock.lock();
    try {
      if (ended || draining) {
        return new NotConnectedException("not connected: the connection is " + (ended ? "closed" : "closing"));
      }
      if (queuedBytes + bytes.length > config.maxQueuedBytes()) {
        return new QueueFullException(bytes.length, queuedBytes, config.maxQueuedBytes());
      }
      outbound.add(new Outbound(command, bytes, pending));
      queuedBytes += bytes.length;
      if (hasAnswer(pending.kind)) {
        awaitingAnswer.add(pending);
      }
      if (pending.future != null) {
        pending.timeout = ClientThreads.schedule(() -> timeOut(pending), config.requestTimeout());
      }
      changed.signalAll();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Queues one of the client's own requests (greeting, login, keep-alive), bypassing the bounds check. */
  final void submitInternal(ClientCommand command, Pending.Kind kind) {
    byte[] bytes = encode(command);
    lock.lock();
    try {
      if (ended) {
        return;
      }
      Pending pending = new Pending(kind, null, kind.name());
      outbound.add(new Outbound(command, bytes, pending));
      queuedBytes += bytes.length;
      if (hasAnswer(kind)) {
        awaitingAnswer.add(pending);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long queuedBytes() {
    lock.lock();
    try {
      return queuedBytes;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest request still waiting for its answer, removed; {@code null} if none. */
  final Pending pollAwaiting() {
    lock.lock();
    try {
      return awaitingAnswer.poll();
    } finally {
      lock.unlock();
    }
  }

  private void timeOut(Pending pending) {
    if (!everyRequestIsAnswered()) {
      // The answer may never come (the original server ignores some frames): do not let a stale entry
      // take the next answer's place for ever. A late answer then answers the next request instead.
      lock.lock();
      try {
        awaitingAnswer.remove(pending);
      } finally {
        lock.unlock();
      }
    }
    // Otherwise a late answer still finds the request in awaitingAnswer, so later answers stay matched.
    fail(pending, new ChatTimeoutException(pending.description, config.requestTimeout()));
  }

  /** Whether the wire guarantees an answer to every request that has one (MD-REPLY-1). */
  abstract boolean everyRequestIsAnswered();

  /** Completes {@code pending} with {@code value} unless it is settled already. */
  final void succeed(Pending pending, Object value) {
    settle(pending, () -> pending.future.complete(value));
  }

  /** Fails {@code pending} with {@code failure} unless it is settled already. */
  final void fail(Pending pending, Throwable failure) {
    settle(pending, () -> pending.future.completeExceptionally(failure));
  }

  private void settle(Pending pending, Runnable completion) {
    lock.lock();
    try {
      if (pending.settled) {
        return;
      }
      pending.settled = true;
      if (pending.timeout != null) {
        pending.timeout.cancel(false);
      }
      if (pending.future != null) {
        // Dispatched under the lock, so that anything this settlement lets happen next (the writer
        // draining and closing, say) is dispatched after it: the future completes before onClosed.
        client.dispatch(completion);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code pending} is settled or the connection ends, at most {@code nanos}. */
  final void awaitSettled(Pending pending, long nanos) throws InterruptedException {
    lock.lock();
    try {
      while (!pending.settled && !ended && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code pending} is settled or the connection has ended. */
  final boolean settledOrEnded(Pending pending) {
    lock.lock();
    try {
      return pending.settled || ended;
    } finally {
      lock.unlock();
    }
  }

  /** Writes {@code bytes} again, outside the queue. Only on the writer thread, from {@link #afterWrite}. */
  final void rewrite(byte[] bytes) throws IOException {
    OutputStream out = io.getOutputStream();
    out.write(bytes);
    out.flush();
    lastWriteNanos = System.nanoTime();
  }

  /** Pauses the writer for {@code nanos}, or until the connection ends. */
  final void pause(long nanos) throws InterruptedException {
    lock.lock();
    try {
      while (!ended && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- threads ----

  private void readLoop() {
    InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
    try {
      if (address.isUnresolved()) {
        end(new UnreachableException(config.address(), new java.net.UnknownHostException(config.host())));
        return;
      }
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis())));
    } catch (SocketTimeoutException e) {
      end(new ChatTimeoutException("TCP connect to " + config.address(), config.connectTimeout()));
      return;
    } catch (IOException e) {
      end(new UnreachableException(config.address(), e));
      return;
    }
    try {
      lock.lock();
      try {
        if (ended) {
          return;
        }
      } finally {
        lock.unlock();
      }
      if (config.tls() != null) {
        io = TlsHandshake.secure(socket, config);
      }
      ClientThreads.newThread(threadName("writer"), this::writeLoop).start();
      startLogin();
      InputStream in = io.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      int timeout = 0;
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          // The socket stays usable after a read timeout (Socket#setSoTimeout).
          onReadTimeout();
          timeout = updateReadTimeout(timeout);
          continue;
        }
        if (n < 0) {
          break;
        }
        framer.feed(java.nio.ByteBuffer.wrap(buffer, 0, n), this::onFrame);
        timeout = updateReadTimeout(timeout);
      }
      onEndOfInput();
      end(new ConnectionLostException("the server closed the connection", null));
    } catch (TlsException e) {
      end(e);
    } catch (IOException e) {
      end(new ConnectionLostException("connection to " + config.address() + " failed: " + e.getMessage(), e));
    } catch (RuntimeException | Error e) {
      log.error("chat client reader failed", e);
      end(e);
    }
  }

  private int updateReadTimeout(int current) throws IOException {
    int wanted = readTimeoutMillis();
    if (wanted != current) {
      io.setSoTimeout(wanted);
    }
    return wanted;
  }

  private void onFrame(Frame frame) {
    if (frame instanceof Frame.Line) {
      onLine(((Frame.Line) frame).bytes());
    } else {
      log.warn("dropped a server line longer than {} bytes (GEN-LINE-3)", config.maxIncomingLineLength());
    }
  }

  private void writeLoop() {
    try {
      OutputStream out = io.getOutputStream();
      List<Outbound> batch = new ArrayList<>();
      while (true) {
        boolean drained = false;
        lock.lock();
        try {
          while (!ended && outbound.isEmpty() && !draining) {
            changed.await();
          }
          if (ended) {
            return;
          }
          if (outbound.isEmpty()) {
            drained = true;
          } else {
            int size = 0;
            do {
              Outbound o = outbound.poll();
              batch.add(o);
              size += o.bytes.length;
            } while (batchWrites() && !outbound.isEmpty() && size + outbound.peek().bytes.length <= MAX_WRITE_BATCH);
          }
        } finally {
          lock.unlock();
        }
        if (drained) {
          onDrained();
          lock.lock();
          try {
            // onDrained queued a goodbye or ended the connection; wait for either before looking again.
            while (!ended && outbound.isEmpty()) {
              changed.await(1, TimeUnit.SECONDS);
            }
          } finally {
            lock.unlock();
          }
          continue;
        }
        long written = 0;
        for (Outbound o : batch) {
          out.write(o.bytes);
          written += o.bytes.length;
        }
        out.flush();
        lastWriteNanos = System.nanoTime();
        lock.lock();
        try {
          queuedBytes = Math.max(0, queuedBytes - written);
        } finally {
          lock.unlock();
        }
        afterWrite(batch);
        batch.clear();
      }
    } catch (IOException e) {
      end(new ConnectionLostException("writing to " + config.address() + " failed: " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      end(new ConnectionLostException("the writer was interrupted", e));
    } catch (RuntimeException | Error e) {
      log.error("chat client writer failed", e);
      end(e);
    }
  }
}
