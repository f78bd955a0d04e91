package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.NotAChatServerException;
import io.github.obrol.protocol.Dialect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Before any check: a look at what the target sends first, so that a run against a server of another
 * protocol (an HTTP, SSH, SMTP, IMAP, POP3, FTP, Redis... server on the wrong port) stops with one clear
 * sentence instead of 56 misleading "expected an error reply" failures.
 *
 * <p>The probe connection sends one harmless request of the dialect (modern {@code PING}, classic an
 * anonymous {@code list}, which a chat server answers with a reply or an error and an HTTP server rejects as
 * a bad request line), followed by an empty line, which completes an HTTP request head. It then reads for
 * at most {@link #WAIT}, or until the first complete line, and compares the first bytes with the greetings
 * and error replies of common other protocols. Silence proves nothing (the original classic server answers
 * an anonymous frame with nothing) and lets the run go on.
 */
public final class TargetProbe {
  /** How long the probe waits for a first line: far longer than any loopback reply, short for a run. */
  static final Duration WAIT = Duration.ofMillis(1000);
  private static final int MAX_BYTES = 512;

  /** First bytes of other protocols, and the protocol they reveal. */
  private static final List<String[]> SIGNATURES = List.of(
      new String[] {"HTTP/", "an HTTP server"},
      new String[] {"<!DOCTYPE", "an HTTP server (an HTML page)"},
      new String[] {"<HTML", "an HTTP server (an HTML page)"},
      new String[] {"SSH-", "an SSH server"},
      new String[] {"220 ", "an SMTP or FTP server"},
      new String[] {"220-", "an SMTP or FTP server"},
      new String[] {"* OK", "an IMAP server"},
      new String[] {"+OK", "a POP3 server"},
      new String[] {"-ERR", "a Redis or POP3 server"},
      new String[] {"RFB ", "a VNC server"},
      new String[] {"\u0015\u0003", "a TLS server"},
      new String[] {"\u0016\u0003", "a TLS server"});

  private TargetProbe() {}

  /**
   * Probes {@code address}.
   *
   * @throws NotAChatServerException if the first bytes belong to another protocol
   */
  public static void check(InetSocketAddress address, Dialect dialect, String name, Duration connectTimeout)
      throws NotAChatServerException {
    check(address, dialect, name, connectTimeout, io.github.obrol.conformance.ConformanceSecurity.plainText());
  }

  /**
   * Probes {@code address} over the transport {@code security} says (TLS or plain text).
   *
   * @throws NotAChatServerException if the first bytes belong to another protocol
   */
  public static void check(InetSocketAddress address, Dialect dialect, String name, Duration connectTimeout,
      io.github.obrol.conformance.ConformanceSecurity security) throws NotAChatServerException {
    byte[] first;
    try {
      first = firstBytes(address, dialect, name, connectTimeout, security);
    } catch (IOException e) {
      return; // Connecting works (probed before); a reset here is for the checks to judge.
    }
    Optional<String> other = otherProtocol(first);
    if (other.isPresent()) {
      throw new NotAChatServerException("not a chat server: " + address.getHostString() + ":" + address.getPort()
          + " answered " + quote(first) + ", which is what " + other.get() + " sends; no rule was checked (wrong port?)",
          "probe sent: " + (dialect == Dialect.MODERN ? "PING obrol-probe" : name + " says list")
              + " CR LF CR LF\nprobe received: " + quote(first) + "\n");
    }
  }

  /** The protocol whose greeting or error reply {@code first} starts with, if any. */
  static Optional<String> otherProtocol(byte[] first) {
    String text = new String(first, StandardCharsets.ISO_8859_1);
    String upper = text.toUpperCase(Locale.ROOT);
    for (String[] s : SIGNATURES) {
      if (upper.startsWith(s[0].toUpperCase(Locale.ROOT))) {
        return Optional.of(s[1]);
      }
    }
    return Optional.empty();
  }

  private static byte[] firstBytes(InetSocketAddress address, Dialect dialect, String name, Duration connectTimeout,
      io.github.obrol.conformance.ConformanceSecurity security) throws IOException {
    try (Socket s = Transport.open(address, security, connectTimeout)) {
      String request = dialect == Dialect.MODERN ? "PING obrol-probe" : name + " says list";
      s.getOutputStream().write((request + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      long deadline = System.nanoTime() + WAIT.toNanos();
      byte[] buf = new byte[MAX_BYTES];
      while (got.size() < MAX_BYTES) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        s.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
        int n;
        try {
          n = in.read(buf, 0, MAX_BYTES - got.size());
        } catch (SocketTimeoutException e) {
          break;
        }
        if (n < 0) {
          break;
        }
        got.write(buf, 0, n);
        if (got.toString(StandardCharsets.ISO_8859_1).indexOf('\n') >= 0) {
          break;
        }
      }
      return got.toByteArray();
    }
  }

  private static String quote(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int lf = text.indexOf('\n');
    String line = lf >= 0 ? text.substring(0, lf) : text;
    line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    StringBuilder b = new StringBuilder("\"");
    for (char c : line.substring(0, Math.min(60, line.length())).toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return b.append(line.length() > 60 ? "...\"" : "\"").toString();
  }
}
