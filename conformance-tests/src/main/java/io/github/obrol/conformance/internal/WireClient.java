package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A raw protocol client over one blocking TCP socket, for checks: it writes exactly the bytes it is given,
 * records everything in the {@link Transcript}, and parses what it reads on a reader thread with the suite's
 * own tables ({@link WireTables}), never with the protocol module's decoders. Every wait is bounded.
 *
 * <p>Classic pacing: a server that frames by read boundaries (the original) merges two frames that
 * arrive in one read. When pacing is on, a classic frame is written only after the previous frame on
 * this connection got an answer or {@code frameGap} passed (CL-FRAME-4); the framing checks turn it off.
 */
public final class WireClient implements AutoCloseable {
  private final String label;
  private final Dialect dialect;
  private final Socket socket;
  private final OutputStream out;
  private final Transcript transcript;
  private final Duration listSettle;
  private final Thread reader;

  private final Object lock = new Object();
  private final List<Received> inbox = new ArrayList<>();
  private final List<Integer> readLengths = new ArrayList<>();
  private final List<Long> readNanos = new ArrayList<>();
  private int cursor;
  private boolean closedByPeer;
  private String closeCause;

  private volatile Duration frameGap = Duration.ZERO;
  private long lastSendNanos;
  private int repliesAtLastSend;
  private int replies;

  private WireClient(String label, Dialect dialect, Socket socket, Transcript transcript, Duration listSettle)
      throws IOException {
    this.label = label;
    this.dialect = dialect;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.transcript = transcript;
    this.listSettle = listSettle;
    this.reader = new Thread(this::readLoop, "obrol-conformance-" + label);
    this.reader.setDaemon(true);
  }

  /**
   * Connects to {@code address}.
   *
   * @param listSettle how long a classic user list may pause between reads before it counts as complete
   *     (CL-LIST-2)
   * @param security whether to use TLS, and whom to trust
   */
  public static WireClient connect(
      InetSocketAddress address, String label, Dialect dialect, Transcript transcript, Duration connectTimeout,
      Duration listSettle, io.github.obrol.conformance.ConformanceSecurity security) throws IOException {
    Socket socket = Transport.open(address, security, connectTimeout);
    transcript.note(label, "connected from local port " + socket.getLocalPort()
        + (socket instanceof javax.net.ssl.SSLSocket ? " (TLS " + ((javax.net.ssl.SSLSocket) socket).getSession()
            .getProtocol() + ")" : ""));
    WireClient client = new WireClient(label, dialect, socket, transcript, listSettle);
    client.reader.start();
    return client;
  }

  /** The client's label in transcripts (A, B, ...). */
  public String label() {
    return label;
  }

  /** The dialect this client decodes. */
  public Dialect dialect() {
    return dialect;
  }

  /** Enables classic pacing with this gap ({@link Duration#ZERO} turns it off). */
  public void frameGap(Duration gap) {
    this.frameGap = gap;
  }

  /** Writes {@code bytes} in one write, after classic pacing if it is on. */
  public void send(byte[] bytes) {
    pace();
    sendNow(bytes);
  }

  /** Writes {@code text} as UTF-8 in one write, after pacing; add the LF yourself. */
  public void send(String text) {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} in one write at once, without pacing (framing checks). */
  public void sendNow(byte[] bytes) {
    transcript.sent(label, bytes);
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      transcript.note(label, "write failed: " + e);
      throw new CheckFailure("write " + Escapes.literal(bytes) + " on " + label + " to succeed",
          "the write failed: " + e.getMessage());
    }
    synchronized (lock) {
      lastSendNanos = System.nanoTime();
      repliesAtLastSend = replies;
    }
  }

  /**
   * Writes {@code line} plus LF at once, recording {@code shownAs} plus LF in the transcript instead: for lines
   * that carry a secret (an AUTH response with a real password), which never belongs in a report.
   */
  public void sendSecret(String line, String shownAs) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    transcript.sent(label, (shownAs + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      transcript.note(label, "write failed: " + e);
      throw new CheckFailure("write " + Escapes.literal(shownAs + "\n") + " on " + label + " to succeed",
          "the write failed: " + e.getMessage());
    }
    synchronized (lock) {
      lastSendNanos = System.nanoTime();
      repliesAtLastSend = replies;
    }
  }

  /** Writes without pacing and without a transcript entry (floods); throws the I/O error. */
  public void sendNowQuietly(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  private void pace() {
    Duration gap = frameGap;
    if (gap.isZero()) {
      return;
    }
    synchronized (lock) {
      if (lastSendNanos == 0) {
        return;
      }
      long deadline = lastSendNanos + gap.toNanos();
      // A reply (not just any event) after the previous frame shows the server has read it.
      while (replies == repliesAtLastSend && !closedByPeer) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        waitOn(left);
      }
    }
  }

  /** Waits up to {@code timeout} for the next unconsumed frame; null if none arrived. */
  public Received next(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (cursor >= inbox.size()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closedByPeer) {
          return cursor < inbox.size() ? inbox.get(cursor++) : null;
        }
        waitOn(left);
      }
      return inbox.get(cursor++);
    }
  }

  /**
   * Consumes frames until one matches {@code match}; returns the frames before it (consumed) followed by
   * the match, or the frames seen so far without a match if {@code timeout} passed or the peer closed.
   */
  public List<Received> until(Predicate<Received> match, Duration timeout) {
    List<Received> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Received r = next(Duration.ofNanos(Math.max(0, left)));
      if (r == null) {
        return seen;
      }
      seen.add(r);
      if (match.test(r)) {
        return seen;
      }
    }
  }

  /** How many frames this client has received so far. */
  public int receivedCount() {
    synchronized (lock) {
      return inbox.size();
    }
  }

  /** Waits up to {@code timeout} until at least {@code count} frames were received; true if they were. */
  public boolean awaitReceivedCount(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (inbox.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closedByPeer) {
          return inbox.size() >= count;
        }
        waitOn(left);
      }
      return true;
    }
  }

  /** Every frame received and not yet consumed, consumed now, without waiting. */
  public List<Received> drain() {
    synchronized (lock) {
      List<Received> rest = new ArrayList<>(inbox.subList(cursor, inbox.size()));
      cursor = inbox.size();
      return rest;
    }
  }

  /** Every frame this client has received so far, consumed or not. */
  public List<Received> history() {
    synchronized (lock) {
      return new ArrayList<>(inbox);
    }
  }

  /** When the last write was made ({@link System#nanoTime()}), 0 before the first. */
  public long lastSendNanos() {
    synchronized (lock) {
      return lastSendNanos;
    }
  }

  /** How many reads arrived so far. */
  public int readCount() {
    synchronized (lock) {
      return readLengths.size();
    }
  }

  /** When read {@code index} arrived ({@link System#nanoTime()}). */
  public long readNanos(int index) {
    synchronized (lock) {
      return readNanos.get(index);
    }
  }

  /** The length of read {@code index} (reads are numbered from 0 in arrival order). */
  public int readLength(int index) {
    synchronized (lock) {
      return readLengths.get(index);
    }
  }

  /** Waits up to {@code timeout} for the server to close the connection; true if it did. */
  public boolean awaitClosedByPeer(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!closedByPeer) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        waitOn(left);
      }
      return true;
    }
  }

  /** Whether the server has closed (or reset) the connection. */
  public boolean closedByPeer() {
    synchronized (lock) {
      return closedByPeer;
    }
  }

  /** Closes the sending side only (a FIN); the client keeps reading. */
  public void shutdownOutput() {
    transcript.note(label, "shuts down its output (FIN)");
    try {
      socket.shutdownOutput();
    } catch (IOException | UnsupportedOperationException e) {
      transcript.note(label, "shutdownOutput failed: " + e);
    }
  }

  /** Resets the connection (RST): an abrupt disconnect. */
  public void abort() {
    transcript.note(label, "aborts the connection (RST)");
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Closing anyway below.
    }
    closeQuietly();
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      transcript.note(label, "closes the connection");
    }
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: the connection is gone either way.
    }
    try {
      reader.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitOn(long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CheckFailure("the check to finish", "it was interrupted");
    }
  }

  /** The longest server frame a client must accept (GEN-LINE-3): 1 MiB. */
  private static final int MAX_SERVER_FRAME = 1 << 20;

  private void readLoop() {
    byte[] buf = new byte[64 * 1024];
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    boolean discarding = false;
    ListAssembly list = new ListAssembly();
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        int n;
        try {
          socket.setSoTimeout(list.open ? (int) Math.max(1, listSettle.toMillis()) : 0);
          n = in.read(buf);
        } catch (SocketTimeoutException e) {
          // No byte for the settle time: the classic list block is complete (CL-LIST-2).
          list.end(this);
          continue;
        }
        if (n < 0) {
          list.end(this);
          finish("closed by the server (FIN)");
          return;
        }
        transcript.received(label, buf, 0, n);
        int read;
        synchronized (lock) {
          read = readLengths.size();
          readLengths.add(n);
          readNanos.add(System.nanoTime());
          lock.notifyAll();
        }
        // Frames end at LF (FR-LINE-1); a CR directly before it belongs to the terminator (modern lines).
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            if (!discarding) {
              onLine(line.toByteArray(), read, list);
            }
            discarding = false;
            line.reset();
          } else if (!discarding) {
            line.write(b);
            if (line.size() > MAX_SERVER_FRAME) {
              discarding = true;
              line.reset();
              deliverProblem("(a frame longer than " + MAX_SERVER_FRAME + " bytes)",
                  "the server sent a frame longer than 1 MiB (GEN-LINE-3)", read);
            }
          }
        }
      }
    } catch (IOException e) {
      list.end(this);
      finish(socket.isClosed() ? "closed by this client" : "connection reset: " + e.getMessage());
    }
  }

  private void onLine(byte[] bytes, int readIndex, ListAssembly list) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (dialect == Dialect.MODERN) {
      String l = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      deliver(WireTables.modern(l), l, "unrecognised modern line", readIndex, readIndex);
      return;
    }
    if (list.open) {
      java.util.regex.Matcher entry = WireTables.LIST_ENTRY.matcher(text);
      if (!text.startsWith("\r") && entry.matches()) {
        list.append(text, entry.group(1), readIndex);
        return;
      }
      list.end(this);
    }
    if (WireTables.LIST_HEADER.matcher(text).matches()) {
      list.start(text, readIndex);
      return;
    }
    deliver(WireTables.classic(text), text, "unrecognised classic frame", readIndex, readIndex);
  }

  private void deliver(ServerMessage message, String raw, String problem, int first, int last) {
    Received r = message != null
        ? new Received(System.nanoTime(), raw, message, null, first, last)
        : new Received(System.nanoTime(), raw, null, problem, first, last);
    if (message == null) {
      transcript.note(label, problem + " " + Escapes.literal(raw + "\n")
          + ": recorded, never taken as the reply to a request");
    }
    synchronized (lock) {
      inbox.add(r);
      if (r.message() == null || r.message() instanceof Reply || r.message() instanceof io.github.obrol.protocol.Event.Bye) {
        replies++;
      }
      lock.notifyAll();
    }
  }

  private void deliverProblem(String raw, String problem, int read) {
    synchronized (lock) {
      inbox.add(new Received(System.nanoTime(), raw, null, problem, read, read));
      lock.notifyAll();
    }
  }

  private void finish(String cause) {
    transcript.note(label, cause);
    synchronized (lock) {
      closedByPeer = true;
      closeCause = cause;
      lock.notifyAll();
    }
    LockSupport.unpark(reader);
  }

  /** Why the connection ended, or null while it is open. */
  public String closeCause() {
    synchronized (lock) {
      return closeCause;
    }
  }

  /** Collects the lines of a classic list block as it arrives (CL-LIST-1, CL-LIST-2). */
  private static final class ListAssembly {
    private StringBuilder raw = new StringBuilder();
    private List<String> names = new ArrayList<>();
    boolean open;
    int first;
    int last;

    void start(String header, int read) {
      raw = new StringBuilder(header);
      names = new ArrayList<>();
      open = true;
      first = read;
      last = read;
    }

    void append(String line, String name, int read) {
      raw.append('\n').append(line);
      names.add(name);
      last = read;
    }

    void end(WireClient client) {
      if (open) {
        open = false;
        Reply.UserList list;
        try {
          list = new Reply.UserList(names);
        } catch (IllegalArgumentException e) {
          list = null;
        }
        client.deliver(list, raw.toString(), "unrecognised user list", first, last);
      }
    }
  }
}
