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

/**
 * A raw test client over a real socket: sends bytes and reads LF-terminated lines with a bounded wait.
 * Lines are returned without LF; a classic line keeps its leading CR.
 */
public final class LineClient implements AutoCloseable {
  /** Bound of every wait for a line. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private LineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
    this.out = socket.getOutputStream();
  }

  public static LineClient connect(InetSocketAddress server) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
    return new LineClient(s);
  }

  /** A client over an already connected socket (for example an {@link javax.net.ssl.SSLSocket}). */
  public static LineClient over(Socket socket) throws IOException {
    return new LineClient(socket);
  }

  /** Connects with a small receive buffer, for a client that will not read. */
  public static LineClient connectWithReceiveBuffer(InetSocketAddress server, int bytes) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(bytes);
    s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
    return new LineClient(s);
  }

  /** A modern client that has sent HELLO and LOGIN and checked the replies. */
  public static LineClient modern(InetSocketAddress server, String name) throws IOException {
    LineClient c = connect(server);
    c.send("HELLO obrol/1\n");
    String hello = c.readLine();
    if (!hello.startsWith("OK HELLO obrol/1")) {
      throw new AssertionError("greeting: " + hello);
    }
    c.send("LOGIN " + name + "\n");
    String ok = c.readLine();
    if (!ok.equals("OK LOGIN " + name)) {
      throw new AssertionError("login: " + ok);
    }
    return c;
  }

  /** A classic client that has logged in (with LF) and passed a LIST barrier. */
  public static LineClient classic(InetSocketAddress server, String name) throws IOException {
    LineClient c = connect(server);
    c.send(name + " says " + name + "\n");
    c.classicBarrier(name);
    return c;
  }

  public void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next line, waiting at most {@link #WAIT}; fails on timeout or end of stream. */
  public String readLine() throws IOException {
    return readLine(WAIT);
  }

  public String readLine(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no complete line within " + wait + "; partial: " + escape(line.toString(StandardCharsets.UTF_8)));
      }
      if (b < 0) {
        throw new AssertionError("connection closed; partial: " + escape(line.toString(StandardCharsets.UTF_8)));
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  /** Reads lines until one equals {@code expected}; fails on anything else if {@code strict}. */
  public String expect(String expected) throws IOException {
    String line = readLine();
    if (!line.equals(expected)) {
      throw new AssertionError("expected \"" + escape(expected) + "\" but got \"" + escape(line) + "\"");
    }
    return line;
  }

  /** Reads lines until one starts with {@code prefix}, returning it; fails after 10,000 lines. */
  public String skipUntil(String prefix) throws IOException {
    for (int i = 0; i < 10_000; i++) {
      String line = readLine();
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("no line starting with " + escape(prefix));
  }

  /** Whether the server closed the connection, reading (and discarding) at most what remains. */
  public boolean awaitClosed() throws IOException {
    socket.setSoTimeout((int) WAIT.toMillis());
    byte[] buf = new byte[8192];
    try {
      for (int i = 0; i < 100_000; i++) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
    return false;
  }

  /** Everything up to the end of the stream, as text. */
  public String readToEnd() throws IOException {
    socket.setSoTimeout((int) WAIT.toMillis());
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Modern barrier: a LIST round trip; returns the lines before its reply (events). */
  public java.util.List<String> modernBarrier() throws IOException {
    send("LIST\n");
    java.util.List<String> before = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String line = readLine();
      if (line.startsWith("OK LIST")) {
        return before;
      }
      before.add(line);
    }
    throw new AssertionError("no OK LIST");
  }

  private int barriers;

  /**
   * Classic barrier: a private message to itself, which travels behind every event queued for this
   * connection before the frame was read (GEN-ORDER-3); returns the frames before it.
   */
  public java.util.List<String> classicBarrier(String me) throws IOException {
    String token = "barrier" + (++barriers);
    send(me + " says sendto " + me + " " + token + "\n");
    java.util.List<String> before = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String line = readLine();
      if (line.equals("\r" + me + " says " + token + " ")) {
        return before;
      }
      before.add(line);
    }
    throw new AssertionError("no barrier");
  }

  /** Closes abruptly: SO_LINGER 0 sends a reset. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  public static String escape(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
