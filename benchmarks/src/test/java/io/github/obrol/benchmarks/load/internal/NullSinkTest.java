package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The null sink answers the modern exchange the generator uses as a real server would (MD-LOGIN-1, MD-PING-1,
 * MD-SEND-1), byte for byte, and counts messages and deliveries.
 */
class NullSinkTest {
  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads exactly the bytes of {@code expected} (a bounded read: the socket has a timeout) and compares them. */
  private static void expect(Socket s, String expected) throws IOException {
    byte[] want = expected.getBytes(StandardCharsets.US_ASCII);
    byte[] got = s.getInputStream().readNBytes(want.length);
    assertArrayEquals(want, got, "expected " + expected.replace("\n", "\\n") + ", got " + new String(got, StandardCharsets.US_ASCII).replace("\n", "\\n"));
  }

  @Test
  @Timeout(30)
  @DisplayName("MD-LOGIN-1, MD-PING-1, MD-SEND-1: OK LOGIN, OK PING token, OK SEND, and MSG to every other member only")
  void answersTheModernExchangeAndCounts() throws IOException {
    try (NullSink sink = NullSink.start(0);
        Socket a = new Socket("127.0.0.1", sink.address().getPort());
        Socket b = new Socket("127.0.0.1", sink.address().getPort());
        Socket c = new Socket("127.0.0.1", sink.address().getPort())) {
      for (Socket s : new Socket[] {a, b, c}) {
        s.setSoTimeout(10_000);
      }
      send(a, "LOGIN alice\nPING sync\n");
      expect(a, "OK LOGIN alice\nOK PING sync\n");
      send(b, "LOGIN bob\nPING\n");
      expect(b, "OK LOGIN bob\nOK PING\n");
      send(a, "SEND hello there\n");
      expect(a, "OK SEND\n");
      expect(b, "MSG alice hello there\n");
      // c never logged in: it gets no MSG; its PING reply is the next thing it reads.
      send(c, "PING c\n");
      expect(c, "OK PING c\n");
      // A line split across two writes is still one line.
      send(b, "SEND ab");
      send(b, "c\n");
      expect(b, "OK SEND\n");
      expect(a, "MSG bob abc\n");
      long[] counts = sink.counts();
      assertEquals(2, counts[0], "messages");
      assertEquals(2, counts[1], "deliveries");
    }
  }
}
