package io.github.obrol.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.SeedPrograms;

/**
 * CL-SFRAME-2: the classic encoder writes byte for byte what the original {@code chatserver.py} writes.
 * The expected bytes are captured live from the original server; the test skips where Python 2.7 or the
 * seed files are absent (set {@code obrol.seed.dir}, and {@code OBROL_PYTHON2} for a python2 binary).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class OriginalServerGoldenTest {
  private Process server;
  private int port;

  @BeforeAll
  void startOriginalServer() throws Exception {
    Path script = SeedPrograms.assumeServer();
    List<String> python = SeedPrograms.assumePython2();
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> command = new ArrayList<>(python);
    command.add(script.toString());
    command.add(Integer.toString(port));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putIfAbsent("PYENV_VERSION", "2.7.18");
    server = pb.start();
    // Readiness by port probe, bounded: 200 tries of a 50 ms connect timeout.
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 50);
        return;
      } catch (IOException notYet) {
        if (!server.isAlive()) {
          break;
        }
        server.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }
    assumeTrue(false, "the original server did not start on port " + port);
  }

  @AfterAll
  void stopOriginalServer() throws InterruptedException {
    if (server != null) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("CL-SFRAME-2 CL-JOIN-1 CL-SENDALL-1 CL-SENDTO-1 CL-LIST-1 CL-INVALID-1 CL-LOGIN-2: golden bytes of the original server")
  void goldenBytes() throws Exception {
    // The original accepts one connection per select() round and tells joins only to sockets it has
    // accepted, so every receipt below comes from a socket that connected before the actor. It frames
    // by read boundaries, so each frame waits for its effect before the next is sent.
    try (Socket bob = connect()) {
      send(bob, "gbob says gbob");
      try (Socket alice = connect()) {
        send(alice, "galice says galice");
        String join = classic(new Event.UserJoined("galice"));
        assertEquals(join, read(bob, join.length()));

        send(bob, "gbob says sendall hello   world\n");
        String broadcast = classic(new Event.Message("gbob", "hello world", Audience.BROADCAST));
        // When bob's login and alice's accept fall in one select() round, the original accepts alice
        // first and tells her bob's join too: that frame is golden as well.
        String bobsJoin = classic(new Event.UserJoined("gbob"));
        String received = readUntilEndsWith(alice, broadcast, bobsJoin.length() + broadcast.length());
        if (!received.equals(broadcast)) {
          assertEquals(bobsJoin + broadcast, received);
        }

        send(bob, "gbob says sendto galice psst  there\n");
        String privately = classic(new Event.Message("gbob", "psst there", Audience.PRIVATE));
        assertEquals(privately, read(alice, privately.length()));

        send(alice, "galice says list\n");
        String list = classic(new Reply.UserList(List.of("gbob", "galice")));
        assertEquals(list, read(alice, list.length()));

        send(alice, "galice says hi\n");
        String invalid = classic(Reply.Error.of(ErrorCode.INVALID_COMMAND));
        assertEquals(invalid, read(alice, invalid.length()));

        try (Socket carol = connect()) {
          send(carol, "galice says galice");
          String taken = classic(Reply.Error.of(ErrorCode.NAME_TAKEN));
          assertEquals(taken, read(carol, taken.length()));
        }
      }
    }
  }

  private static String classic(ServerMessage m) {
    return ClassicServerMessageEncoder.encodeToString(m);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    s.setSoTimeout(5000);
    s.setTcpNoDelay(true);
    return s;
  }

  private static void send(Socket s, String frame) throws IOException {
    s.getOutputStream().write(frame.getBytes(UTF_8));
    s.getOutputStream().flush();
  }

  /** Reads until what arrived ends with {@code suffix}, at most {@code max} bytes, within the read timeout. */
  private static String readUntilEndsWith(Socket s, String suffix, int max) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      while (out.size() < max && !out.toString(UTF_8).endsWith(suffix)) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
      }
    } catch (SocketTimeoutException e) {
      // Return what arrived; the assertion shows the difference.
    }
    return out.toString(UTF_8);
  }

  /** Reads exactly {@code n} bytes, or what arrived before the 5 s read timeout. */
  private static String read(Socket s, int n) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[n];
    try {
      while (out.size() < n) {
        int r = in.read(buf, 0, n - out.size());
        if (r < 0) {
          break;
        }
        out.write(buf, 0, r);
      }
    } catch (SocketTimeoutException e) {
      // Return what arrived; the assertion shows the difference.
    }
    return out.toString(UTF_8);
  }
}
