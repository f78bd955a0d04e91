package io.github.obrol.client.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real TCP peer on loopback that answers modern lines the way a test script says: for situations a
 * correct server does not produce on demand (a reply that never comes, a server that stops reading, a
 * reply to no request). Every line received is recorded.
 */
public final class ScriptedServer implements AutoCloseable {
  /** What the server does with each line a client sends. */
  @FunctionalInterface
  public interface Script {
    void onLine(Peer peer, String line) throws IOException;
  }

  /** One accepted connection. */
  public static final class Peer {
    private final Socket socket;
    private final OutputStream out;
    private final int chunkSize;
    volatile boolean reading = true;

    Peer(Socket socket, int chunkSize) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.chunkSize = chunkSize;
      socket.setTcpNoDelay(true);
    }

    /** Sends one line (LF added), in chunks if the server was made with a chunk size. */
    public void send(String line) throws IOException {
      sendRaw(line + "\n");
    }

    /**
     * Sends {@code bytes} exactly as given (no LF added). With a chunk size of n (see
     * {@link ScriptedServer#ScriptedServer(Script, int)}) every n bytes are a write of their own, flushed at once
     * with Nagle off; with n = 1 every byte boundary of the stream is a write boundary (CLIENT-1, FR-LINE-1).
     */
    public synchronized void sendRaw(String bytes) throws IOException {
      byte[] b = bytes.getBytes(StandardCharsets.UTF_8);
      if (chunkSize <= 0) {
        out.write(b);
        out.flush();
        return;
      }
      for (int i = 0; i < b.length; i += chunkSize) {
        out.write(b, i, Math.min(chunkSize, b.length - i));
        out.flush();
      }
    }

    /** Stops reading from this connection for good, so the client's writes back up. */
    public void stopReading() {
      reading = false;
    }

    public void close() throws IOException {
      socket.close();
    }
  }

  private final ServerSocket serverSocket;
  private final Script script;
  public final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  public final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private final int chunkSize;

  /** A server that writes what the script sends whole, one write per frame. */
  public ScriptedServer(Script script) throws IOException {
    this(script, 0);
  }

  /**
   * A server that writes everything in chunks of {@code chunkSize} bytes, each a write of its own ({@code 1}: every
   * byte boundary; {@code 0}: whole frames), so that a client must reassemble frames from any TCP chunking.
   */
  public ScriptedServer(Script script, int chunkSize) throws IOException {
    this(script, chunkSize, null);
  }

  /** A server that speaks TLS with {@code tls}'s key (the handshake happens at the first read). */
  public ScriptedServer(Script script, javax.net.ssl.SSLContext tls) throws IOException {
    this(script, 0, tls);
  }

  private ScriptedServer(Script script, int chunkSize, javax.net.ssl.SSLContext tls) throws IOException {
    this.chunkSize = chunkSize;
    this.script = script;
    this.serverSocket = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "scripted-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The usual modern answers for a single user: greeting, login, list, send, ping, quit. */
  public static void standardModern(Peer peer, String line) throws IOException {
    String[] parts = line.split(" ", 3);
    switch (parts[0]) {
      case "HELLO":
        peer.send("OK HELLO obrol/1 maxline=4096 maxname=32 idle=0");
        break;
      case "LOGIN":
        peer.send("OK LOGIN " + parts[1]);
        break;
      case "LIST":
        peer.send("OK LIST 1 alice");
        break;
      case "SEND":
        peer.send("OK SEND");
        break;
      case "SENDTO":
        peer.send("ERR NO_SUCH_USER no user named " + parts[1] + " is logged in");
        break;
      case "PING":
        peer.send(parts.length > 1 ? "OK PING " + parts[1] : "OK PING");
        break;
      case "QUIT":
        peer.send("OK QUIT");
        peer.close();
        break;
      default:
        peer.send("ERR INVALID_COMMAND unknown verb");
    }
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket s = serverSocket.accept();
        Peer peer = new Peer(s, chunkSize);
        peers.add(peer);
        Thread t = new Thread(() -> serve(peer, s), "scripted-server-peer");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Peer peer, Socket s) {
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        received.add(line);
        script.onLine(peer, line);
        if (!peer.reading) {
          // Keep the socket open but read nothing more: the client's writes pile up in the kernel.
          closed.await();
          return;
        }
      }
    } catch (IOException e) {
      // The client went away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    serverSocket.close();
    for (Peer p : peers) {
      p.close();
    }
  }
}
