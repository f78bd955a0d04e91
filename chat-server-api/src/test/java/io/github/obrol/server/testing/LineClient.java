package io.github.obrol.server.testing;

import java.io.ByteArrayOutputStream;
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

/**
 * The raw test client of the shared kit, over a real loopback socket. It knows nothing of Obrol's codecs: it
 * writes bytes and reads LF-terminated lines (returned without the LF; a classic line keeps its leading CR),
 * every wait and every loop bounded. The server's own tests and its abuse suite both use it.
 */
public final class LineClient implements AutoCloseable {
  /** Bound of every wait for a line. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private static final int MAX_LINES = 100_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[8 * 1024];
  private int position;
  private int limit;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private int barriers;

  private LineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects from 127.0.0.1. */
  public static LineClient connect(InetSocketAddress server) throws IOException {
    return connect(server, "127.0.0.1", 0);
  }

  /**
   * Connects from {@code localAddress} (any 127.x.y.z is a distinct loopback source) with a receive buffer
   * of {@code receiveBuffer} bytes (0: the system's default).
   */
  public static LineClient connect(InetSocketAddress server, String localAddress, int receiveBuffer)
      throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.setTcpNoDelay(true);
    s.bind(new InetSocketAddress(localAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
    return new LineClient(s);
  }

  /** A client over an already connected socket (for example an {@link javax.net.ssl.SSLSocket}). */
  public static LineClient over(Socket socket) throws IOException {
    return new LineClient(socket);
  }

  /** Connects with a small receive buffer, for a client that will not read. */
  public static LineClient connectWithReceiveBuffer(InetSocketAddress server, int bytes) throws IOException {
    return connect(server, "127.0.0.1", bytes);
  }

  /**
   * A modern user: HELLO sent and its reply checked, then LOGIN sent and {@code OK LOGIN name} checked
   * literally (JOINs of users logging in at the same moment may come first, MD-EVENT-2, and are skipped).
   */
  public static LineClient modern(InetSocketAddress server, String name) throws IOException {
    return modern(server, name, 0);
  }

  /** As {@link #modern(InetSocketAddress, String)}, with a receive buffer of {@code receiveBuffer} bytes. */
  public static LineClient modern(InetSocketAddress server, String name, int receiveBuffer) throws IOException {
    LineClient c = connect(server, "127.0.0.1", receiveBuffer);
    c.send("HELLO obrol/1\n");
    String hello = c.readLine();
    if (!hello.startsWith("OK HELLO obrol/1 ")) {
      throw new AssertionError("greeting of " + name + ": " + escape(hello));
    }
    c.send("LOGIN " + name + "\n");
    c.expectSkippingJoins("OK LOGIN " + name);
    return c;
  }

  /**
   * {@code count} modern users named {@code prefix0}, {@code prefix1}, ...: every connection's HELLO and
   * LOGIN are sent first (one write each), then every reply is checked, so the logins overlap. The JOIN
   * notices of the later users are left unread.
   */
  public static List<LineClient> modernMany(InetSocketAddress server, String prefix, int count) throws IOException {
    List<LineClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LineClient c = connect(server);
      c.send("HELLO obrol/1\nLOGIN " + prefix + i + "\n");
      clients.add(c);
    }
    for (int i = 0; i < count; i++) {
      LineClient c = clients.get(i);
      String hello = c.readLine();
      if (!hello.startsWith("OK HELLO obrol/1 ")) {
        throw new AssertionError("greeting of " + prefix + i + ": " + escape(hello));
      }
      c.expectSkippingJoins("OK LOGIN " + prefix + i);
    }
    return clients;
  }

  /** A classic user: logged in with an LF-terminated frame, confirmed by a private barrier that nothing precedes. */
  public static LineClient classic(InetSocketAddress server, String name) throws IOException {
    LineClient c = connect(server);
    c.send(name + " says " + name + "\n");
    List<String> before = c.classicBarrier(name);
    if (!before.isEmpty()) {
      throw new AssertionError("classic login of " + name + " answered " + before);
    }
    return c;
  }

  public void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next line as UTF-8 text (malformed bytes replaced), waiting at most {@link #WAIT}. */
  public String readLine() throws IOException {
    return readLine(WAIT);
  }

  /** The next line as UTF-8 text, waiting at most {@code wait}; fails on timeout or end of stream. */
  public String readLine(Duration wait) throws IOException {
    return new String(rawLine(wait), StandardCharsets.UTF_8);
  }

  /** The next line's bytes without its LF; fails on timeout or end of stream. */
  public byte[] rawLine(Duration wait) throws IOException {
    byte[] l = nextLine(wait, false);
    if (l == null) {
      throw new AssertionError("connection closed; partial: " + escape(partial.toString(StandardCharsets.UTF_8)));
    }
    return l;
  }

  /** The next line, or null at the end of the stream (a reset counts as an end). */
  public String lineOrEnd(Duration wait) throws IOException {
    byte[] l = nextLine(wait, true);
    return l == null ? null : new String(l, StandardCharsets.UTF_8);
  }

  private byte[] nextLine(Duration wait, boolean resetIsEnd) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    partial.reset();
    for (long i = 0; i < 1L << 20; i++) {
      for (int p = position; p < limit; p++) {
        if (buffer[p] == '\n') {
          partial.write(buffer, position, p - position);
          position = p + 1;
          return partial.toByteArray();
        }
      }
      partial.write(buffer, position, limit - position);
      position = 0;
      limit = 0;
      if (partial.size() > 64 << 20) {
        throw new AssertionError("line longer than 64 MiB");
      }
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "no complete line within " + wait + "; partial: " + escape(partial.toString(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        if (resetIsEnd) {
          return null;
        }
        throw e;
      }
      if (n < 0) {
        return partial.size() == 0 || !resetIsEnd ? null : partial.toByteArray();
      }
      limit = n;
    }
    throw new AssertionError("no line after 2^20 reads");
  }

  /** Reads a line and checks it literally; returns it. */
  public String expect(String expected) throws IOException {
    String line = readLine();
    if (!line.equals(expected)) {
      throw new AssertionError("expected \"" + escape(expected) + "\" but got \"" + escape(line) + "\"");
    }
    return line;
  }

  /**
   * Reads a line and checks it literally, skipping JOIN events first: a user who logs in at the same time
   * may be announced before our own login's reply (MD-EVENT-2).
   */
  public void expectSkippingJoins(String expected) throws IOException {
    for (int i = 0; i < MAX_LINES; i++) {
      String line = readLine();
      if (line.equals(expected)) {
        return;
      }
      if (!line.startsWith("JOIN ")) {
        throw new AssertionError("expected \"" + escape(expected) + "\" but got \"" + escape(line) + "\"");
      }
    }
    throw new AssertionError("more than " + MAX_LINES + " JOIN lines");
  }

  /** Reads lines until one starts with {@code prefix}, returning it; fails after 100,000 lines. */
  public String skipUntil(String prefix) throws IOException {
    for (int i = 0; i < MAX_LINES; i++) {
      String line = readLine();
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("no line starting with " + escape(prefix));
  }

  /** Reads lines until the server closes (or resets) the connection; returns them, or fails after {@code wait}. */
  public List<String> linesUntilEnd(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("still open after " + wait + "; read " + lines.size() + " lines");
      }
      String l = lineOrEnd(Duration.ofNanos(left));
      if (l == null) {
        return lines;
      }
      lines.add(l);
    }
    throw new AssertionError("more than 1,000,000 lines");
  }

  /** Whether the server ends the connection within {@link #WAIT}, discarding what it sends. */
  public boolean awaitClosed() throws IOException {
    return closedWithin(WAIT);
  }

  /** Whether the server ends the connection within {@code wait} (a reset counts), discarding what it sends. */
  public boolean closedWithin(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] buf = new byte[64 * 1024];
    position = 0;
    limit = 0;
    for (int i = 0; i < 1_000_000; i++) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) left);
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the server
      }
    }
    return false;
  }

  /** Everything up to the end of the stream (what is buffered first), as text; waits at most {@link #WAIT} per read. */
  public String readToEnd() throws IOException {
    socket.setSoTimeout((int) WAIT.toMillis());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(buffer, position, limit - position);
    position = 0;
    limit = 0;
    all.write(in.readAllBytes());
    return all.toString(StandardCharsets.UTF_8);
  }

  /** Modern barrier (GEN-ORDER-3): a LIST round trip; returns the lines that arrived before its reply. */
  public List<String> modernBarrier() throws IOException {
    List<String> before = new ArrayList<>();
    modernList(before);
    return before;
  }

  /** Modern barrier returning the reply of the LIST itself; the lines before it are added to {@code events}. */
  public String modernList(List<String> events) throws IOException {
    send("LIST\n");
    for (int i = 0; i < MAX_LINES; i++) {
      String line = readLine();
      if (line.startsWith("OK LIST")) {
        return line;
      }
      events.add(line);
    }
    throw new AssertionError("no OK LIST after " + MAX_LINES + " lines");
  }

  /**
   * Classic barrier: a private message to itself travels behind every event queued for this connection
   * before the frame was read (GEN-ORDER-3); returns the frames that arrived before it.
   */
  public List<String> classicBarrier(String me) throws IOException {
    String token = "barrier" + (++barriers);
    send(me + " says sendto " + me + " " + token + "\n");
    List<String> before = new ArrayList<>();
    for (int i = 0; i < MAX_LINES; i++) {
      String line = readLine();
      if (line.equals("\r" + me + " says " + token + " ")) {
        return before;
      }
      before.add(line);
    }
    throw new AssertionError("no classic barrier after " + MAX_LINES + " lines");
  }

  /** Closes abruptly: SO_LINGER 0 makes the close send a reset (RST). */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  public Socket socket() {
    return socket;
  }

  /** The socket's output, for tests that write in pieces of their own. */
  public OutputStream output() {
    return out;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * {@code s} (its first 400 code points) for a failure message: controls, C1 controls, U+2028, U+2029 and
   * the bidirectional overrides written as {@code \\uXXXX}.
   */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(400).forEach(cp -> {
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e)
          || (cp >= 0x2066 && cp <= 0x2069)) {
        b.append(String.format("\\u%04X", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }
}
