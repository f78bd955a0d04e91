package io.github.obrol.conformance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.obrol.conformance.launch.PortProbe;
import io.github.obrol.server.ChatServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --server HOST:PORT}, repeated or as a list: the addresses of one chat (a cluster's nodes), each check's
 * users spread over them round-robin. Listing one reference server three times proves the spreading without a
 * cluster: every connection still reaches the same server, so every verdict must be the one of a single address.
 */
class SeveralAddressesCliTest {
  private static final int MAX_CONNECTIONS = 40;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ConformanceCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static ChatServer start(int maxConnections) throws Exception {
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).loginTimeout(Duration.ofSeconds(2))
        .maxConnections(maxConnections).build();
    server.start().get(30, TimeUnit.SECONDS);
    return server;
  }

  private static void stop(ChatServer server) {
    server.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  /** Rule ID to verdict, in report order, from a report.json. */
  private static Map<String, String> verdicts(Path reportDir) throws Exception {
    Map<String, String> verdicts = new LinkedHashMap<>();
    String json = Files.readString(reportDir.resolve("report.json"), StandardCharsets.UTF_8);
    for (Object r : (List<?>) JSON.std.mapFrom(json).get("rules")) {
      Map<?, ?> rule = (Map<?, ?>) r;
      verdicts.put(String.valueOf(rule.get("id")), String.valueOf(rule.get("verdict")));
    }
    return verdicts;
  }

  @Test
  @DisplayName("one reference server listed three times: the same verdicts as listed once, classic and modern users mixed")
  @Timeout(900)
  void sameServerThreeTimesGivesTheSameVerdicts(@TempDir Path dir) throws Exception {
    ChatServer server = start(MAX_CONNECTIONS);
    try {
      String a = "127.0.0.1:" + server.localAddress().getPort();
      // One run of each: the modern suite with --mixed puts classic clients into the stateful scenarios too, so
      // both dialects' connections are spread over the three addresses; a second dialect would double a 40 s test
      // for no other path (the spreading is per connection, not per dialect).
      for (String dialect : List.of("modern")) {
        List<String> common = List.of("--dialect", dialect, "--mixed", "--disruptive", "--seed", "2026",
            "--stateful-runs", "2", "--login-timeout", "2000", "--max-connections", String.valueOf(MAX_CONNECTIONS),
            "--flood-bytes", String.valueOf(8 << 20), "--frame-gap", "0", "-q");
        List<String> once = new ArrayList<>(List.of("--server", a, "--report-dir", dir.resolve(dialect + "-once").toString()));
        once.addAll(common);
        List<String> thrice = new ArrayList<>(List.of("--server", a, "--server", a + "," + a,
            "--report-dir", dir.resolve(dialect + "-thrice").toString()));
        thrice.addAll(common);
        Run single = run(once.toArray(new String[0]));
        Run triple = run(thrice.toArray(new String[0]));
        assertEquals(ConformanceCli.EXIT_PASS, single.code(), single.out() + single.err());
        assertEquals(ConformanceCli.EXIT_PASS, triple.code(), triple.out() + triple.err());
        Map<String, String> expected = verdicts(dir.resolve(dialect + "-once"));
        assertTrue(expected.size() > 40, "rules reported: " + expected);
        assertEquals(expected, verdicts(dir.resolve(dialect + "-thrice")), dialect);
        String json = Files.readString(dir.resolve(dialect + "-thrice").resolve("report.json"), StandardCharsets.UTF_8);
        assertEquals(List.of(a, a, a), JSON.std.mapFrom(json).get("addresses"), json);
        assertTrue(triple.out().contains("Obrol conformance: " + a + ", " + a + ", " + a + ", " + dialect + " dialect"),
            triple.out());
        assertTrue(Files.readString(dir.resolve(dialect + "-thrice").resolve("report.html"), StandardCharsets.UTF_8)
            .contains("3 addresses of one chat"));
      }
    } finally {
      stop(server);
    }
  }

  @Test
  @DisplayName("GEN-LIMIT-3 passes with a connection limit above the 64 anonymous connections one source address may hold")
  @Timeout(120)
  void serverFullAboveTheAnonymousLimitPerAddress() throws Exception {
    // The reference server's default (GEN-LIMIT-10): 64 connections not yet logged in per source address. With a
    // limit of 100 the check's slot fillers come from distinct loopback addresses, as distinct clients would.
    ChatServer server = start(100);
    try {
      String a = "127.0.0.1:" + server.localAddress().getPort();
      for (String dialect : List.of("modern", "classic")) {
        Run r = run("--server", a, "--dialect", dialect, "--include", "GEN-LIMIT-3", "--disruptive",
            "--max-connections", "100", "--stateful-runs", "0", "--frame-gap", "0");
        assertEquals(ConformanceCli.EXIT_PASS, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("RESULT: PASS"), r.out());
      }
    } finally {
      stop(server);
    }
  }

  @Test
  @DisplayName("--server: HOST:PORT only, and not together with --host, --port or --launch (exit 2)")
  @Timeout(30)
  void badServerArguments() throws Exception {
    String free = "127.0.0.1:" + PortProbe.freePort();
    for (List<String> args : List.of(List.of("--server", "127.0.0.1"), List.of("--server", "127.0.0.1:0"),
        List.of("--server", "127.0.0.1:99999"), List.of("--server", ":9009"), List.of("--server", free, "--port", "9009"),
        List.of("--server", free, "--host", "127.0.0.1"), List.of("--server", free, "--launch", "true {port}"))) {
      Run r = run(args.toArray(new String[0]));
      assertEquals(ConformanceCli.EXIT_USAGE, r.code(), args + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("--server: "), args + ": " + r.err());
    }
    // Nobody listens there: exit 3, before any rule runs.
    Run unreachable = run("--server", free + "," + free, "-q");
    assertEquals(ConformanceCli.EXIT_UNREACHABLE, unreachable.code(), unreachable.err());
  }

  @Test
  @DisplayName("--help documents --server and the round-robin spreading")
  void help() {
    Run r = run("--help");
    assertTrue(r.out().contains("--server=HOST:PORT"), r.out());
    assertTrue(r.out().contains("round-robin"), r.out());
  }
}
