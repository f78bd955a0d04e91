package io.github.obrol.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runnable server's operator commands and metrics endpoint, against an in-process server. */
@Timeout(60)
class OperatorTest {
  private ChatServer server;
  private InetSocketAddress address;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private AdminConsole admin;

  @BeforeEach
  void start() {
    server = ChatServer.builder().port(0).bindAddress("127.0.0.1").build();
    address = server.start().join();
    admin = new AdminConsole(server, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String run(String command) {
    printed.reset();
    admin.execute(command);
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void whoListsTheConnectionsAndStatsTheCounters() throws Exception {
    try (LineClient bob = LineClient.modern(address, "bob")) {
      bob.modernBarrier();
      String who = run("/who");
      assertTrue(who.startsWith("1 connection\n"), who);
      assertTrue(who.contains(" bob ") && who.contains("MODERN") && who.contains("(127.0.0.1, "), who);
      String stats = run("/stats");
      assertTrue(stats.contains("connections 1, users 1, logins accepted 1, refused 0"), stats);
    }
  }

  @Test
  void noticeReachesEveryUser() throws Exception {
    try (LineClient bob = LineClient.modern(address, "bob"); LineClient carol = LineClient.classic(address, "carol")) {
      bob.modernBarrier();
      assertEquals("notice sent\n", run("/notice maintenance at noon"));
      bob.skipUntil("NOTICE maintenance at noon");
      carol.skipUntil("\r*** maintenance at noon");
    }
  }

  @Test
  void tellReachesOneUserOnly() throws Exception {
    try (LineClient bob = LineClient.modern(address, "bob"); LineClient carol = LineClient.classic(address, "carol")) {
      bob.skipUntil("JOIN carol");
      assertEquals("notice sent to CAROL\n", run("/tell CAROL your quota is full")); // names ignore case
      carol.expect("\r*** your quota is full");
      assertEquals("notice sent to bob\n", run("/tell bob hello bob"));
      assertEquals("NOTICE hello bob", bob.readLine()); // the notice to carol was not for bob
      assertEquals(java.util.List.of(), carol.classicBarrier("carol")); // nor bob's for carol
      assertEquals("notice not sent: no user named dave is logged in, or an interceptor vetoed it\n", run("/tell dave hi"));
      assertEquals("usage: /tell NAME TEXT\n", run("/tell bob"));
    }
  }

  @Test
  void kickDisconnectsTheUserWithTheReason() throws Exception {
    try (LineClient bob = LineClient.modern(address, "bob")) {
      bob.modernBarrier();
      assertEquals("kicked bob\n", run("/kick bob be nice"));
      bob.skipUntil("BYE KICKED be nice");
      assertTrue(bob.awaitClosed());
      assertEquals("no user named dave is logged in\n", run("/kick dave"));
    }
  }

  @Test
  void badCommandsSayWhatIsExpected() {
    assertEquals("usage: /kick NAME [REASON]\n", run("/kick"));
    assertEquals("usage: /notice TEXT\n", run("/notice   "));
    assertEquals("unknown command: /shutdown (try /help)\n", run("/shutdown"));
    assertTrue(run("/help").contains("/kick NAME [REASON]"));
  }

  @Test
  void metricsEndpointServesPrometheusTextAndHealth() throws Exception {
    try (MetricsEndpoint metrics = MetricsEndpoint.start(server, new InetSocketAddress("127.0.0.1", 0));
        LineClient bob = LineClient.modern(address, "bob")) {
      bob.modernBarrier();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      String base = "http://127.0.0.1:" + metrics.address().getPort();
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.body().contains("\nobrol_users 1.0\n"), scrape.body());
      assertTrue(scrape.body().contains("obrol_logins_total{result=\"accepted\"} 1.0"), scrape.body());
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals("UP\n", health.body());
      server.close();
      HttpResponse<String> down = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, down.statusCode());
    }
  }
}
