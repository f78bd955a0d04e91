package io.github.obrol.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerMainTest {
  @Test
  void defaultsMatchTheBuilder() throws Exception {
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs();
    ChatServer s = main.server();
    ChatServer d = ChatServer.builder().build();
    assertEquals(9009, s.port());
    assertEquals(d.maxLineLength(), s.maxLineLength());
    assertEquals(d.loginTimeout(), s.loginTimeout());
    assertEquals(d.idleTimeout(), s.idleTimeout());
    assertEquals(d.classicIdleTimeout(), s.classicIdleTimeout());
    assertEquals(d.classicQuietPeriod(), s.classicQuietPeriod());
    assertEquals(d.maxConnections(), s.maxConnections());
    assertEquals(d.maxOutboundBytes(), s.maxOutboundBytes());
    assertEquals(d.commandsPerSecond(), s.commandsPerSecond());
    assertEquals(d.commandBurst(), s.commandBurst());
    assertEquals(d.dialects(), s.dialects());
    assertEquals(d.slowConsumerTimeout(), s.slowConsumerTimeout());
    assertEquals(d.connectionsPerSecond(), s.connectionsPerSecond());
    assertEquals(d.connectionBurst(), s.connectionBurst());
  }

  @Test
  @DisplayName("the startup heap check: 128 MiB plus 64 KiB per connection; warns below it, or far above it when nobody chose the heap")
  void heapAdvice() {
    assertEquals(753, ServerMain.recommendedHeapMiB(10_000));
    assertEquals(129, ServerMain.recommendedHeapMiB(1));
    assertEquals(null, ServerMain.heapAdvice(1024L << 20, 10_000, true));
    assertEquals(null, ServerMain.heapAdvice(6_300L << 20, 10_000, true), "chosen by the operator");
    assertTrue(ServerMain.heapAdvice(6_300L << 20, 10_000, false).contains("-Xmx753m"));
    assertTrue(ServerMain.heapAdvice(256L << 20, 10_000, true).contains("below the 753 MiB"));
    assertTrue(ServerMain.heapConfigured(List.of("-Dx=y", "-Xmx1g")));
    assertFalse(ServerMain.heapConfigured(List.of("-Dx=y")));
  }

  @Test
  void everyLimitIsAnOption() throws Exception {
    ServerMain main = new ServerMain();
    new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(
        "--port", "0", "--bind", "127.0.0.1", "--max-line-length", "100", "--login-timeout", "2.5", "--idle-timeout", "0",
        "--classic-idle-timeout", "60", "--quiet-period", "20", "--max-connections", "3", "--max-outbound-bytes", "5000",
        "--socket-send-buffer", "8192", "--rate", "7", "--burst", "9", "--dialects", "modern", "--io-threads", "1",
        "--slow-consumer-timeout", "1.5", "--connection-rate", "11", "--connection-burst", "12");
    ChatServer s = main.server();
    assertEquals(0, s.port());
    assertEquals("127.0.0.1", s.bindAddress());
    assertEquals(100, s.maxLineLength());
    assertEquals(Duration.ofMillis(2500), s.loginTimeout());
    assertEquals(Duration.ZERO, s.idleTimeout());
    assertEquals(Duration.ofSeconds(60), s.classicIdleTimeout());
    assertEquals(Duration.ofMillis(20), s.classicQuietPeriod());
    assertEquals(3, s.maxConnections());
    assertEquals(5000, s.maxOutboundBytes());
    assertEquals(8192, s.socketSendBuffer());
    assertEquals(7, s.commandsPerSecond());
    assertEquals(9, s.commandBurst());
    assertEquals(Set.of(Dialect.MODERN), s.dialects());
    assertEquals(1, s.ioThreads());
    assertEquals(Duration.ofMillis(1500), s.slowConsumerTimeout());
    assertEquals(11, s.connectionsPerSecond());
    assertEquals(12, s.connectionBurst());
  }

  @Test
  void helpListsEveryLimit() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new ServerMain());
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("--help"));
    for (String option : List.of("--port", "--max-line-length", "--login-timeout", "--idle-timeout", "--classic-idle-timeout",
        "--quiet-period", "--max-connections", "--max-outbound-bytes", "--socket-send-buffer", "--rate", "--burst",
        "--slow-consumer-timeout", "--connection-rate", "--connection-burst")) {
      assertTrue(out.toString().contains(option), option);
    }
  }

  @Test
  void versionIsTheArtifactVersion() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new ServerMain());
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("--version"));
    // The build fills the version in; a hard-coded "0.1.0" for a 0.1.0-SNAPSHOT artifact was the bug.
    assertTrue(out.toString().matches("obrol-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(protocol obrol/1\\)\\R"), out.toString());
    assertEquals(System.getProperty("obrol.project.version"), ServerMain.artifactVersion());
  }

  @Test
  void helpListsTheExitCodesAndTheDefaultBindAddress() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new ServerMain());
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("--help"));
    String help = out.toString();
    // Compared with white space collapsed: picocli wraps descriptions where the widest option allows.
    assertTrue(help.replaceAll("\\s+", " ").contains("default: 0.0.0.0, every interface"), help);
    assertTrue(help.contains("6  a TLS, password or JWT key file cannot be read or used"), help);
    assertTrue(help.contains("passwd"), "the passwd subcommand is listed: " + help);
    assertTrue(help.contains("Exit codes:"), help);
    assertTrue(help.contains("3  the bind address cannot be resolved"), help);
    assertTrue(help.contains("4  the port (or the metrics port) is in use"), help);
    assertTrue(help.contains("--metrics-port"), help);
  }

  private static String runAndCaptureErrors(ServerMain main, int expectedExit) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    main.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(expectedExit, main.call());
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnresolvableBindAddressIsOneClearLine() {
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs("--bind", "nosuch.invalid", "--port", "0");
    String err = runAndCaptureErrors(main, 3);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("obrol-server: cannot resolve the bind address nosuch.invalid"), err);
  }

  @Test
  void aPortInUseIsOneClearLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServerMain main = new ServerMain();
      new CommandLine(main).parseArgs("--bind", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
      String err = runAndCaptureErrors(main, 4);
      assertEquals(1, err.lines().count(), err);
      assertEquals("obrol-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": the port is in use by another program (choose another with --port, or 0 for any free port)\n", err);
    }
  }

  @Test
  @DisplayName("the port check before the start never listens: a client connecting meanwhile is refused, not accepted and then reset")
  void thePortCheckNeverListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (java.net.Socket held = ServerMain.bindWithoutListening(loopback, port)) {
      // A launcher probing the port while the check holds it: a ServerSocket would accept this connection.
      assertThrows(java.net.ConnectException.class, () -> new java.net.Socket(loopback, port).close());
    }
    try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
      assertThrows(java.net.BindException.class, () -> ServerMain.bindWithoutListening(loopback, taken.getLocalPort()).close(),
          "a port another program listens on cannot be bound");
    }
  }

  @Test
  void invalidLimitIsReported() {
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs("--max-line-length", "0");
    assertEquals(2, main.call());
  }

  @Test
  void clusterOptionsAreCheckedAndAnUnreachableRedisIsOneClearLine() throws Exception {
    ServerMain usage = new ServerMain();
    new CommandLine(usage).parseArgs("--node-id", "n1");
    assertEquals(2, usage.call(), "--node-id without --cluster");
    ServerMain badUri = new ServerMain();
    new CommandLine(badUri).parseArgs("--cluster", "http://127.0.0.1:6379");
    assertEquals(2, badUri.call(), "not a redis:// URI");
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs("--bind", "127.0.0.1", "--port", "0", "--cluster",
        "redis://:secret@127.0.0.1:" + closed, "--node-id", "n1");
    String err = runAndCaptureErrors(main, 5);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("obrol-server: cannot join the cluster at redis://***@127.0.0.1:" + closed + ": "), err);
    assertTrue(!err.contains("secret"), "the password is not printed: " + err);
  }
}
