package io.github.obrol.conformance.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceSession;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import io.github.obrol.testkit.Verifies;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The two server rules that need the server's own API: an administrator's notice and shutting down. */
class ReferenceServerNoticeAndShutdownTest {
  private ChatServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    server = ChatServer.builder().bindAddress("127.0.0.1").port(0).build();
    address = new InetSocketAddress("127.0.0.1", server.start().get(30, TimeUnit.SECONDS).getPort());
  }

  @AfterEach
  void stop() {
    server.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  private static void assertPass(CheckResult r) {
    assertEquals(Verdict.PASS, r.verdict(), () -> r.ruleId() + ": " + r.message() + "\n" + r.transcript());
  }

  @Test
  @DisplayName("CL-NOTICE-1: an administrator's broadcast reaches classic users as \\r*** <text>\\n")
  @Verifies("CL-NOTICE-1")
  void notice() throws Exception {
    ConformanceSession session = ConformanceSession.open(ReferenceServerRulesTest.options(address, Dialect.CLASSIC).build());
    assertPass(session.checkNotice(text -> server.broadcast(text).orTimeout(10, TimeUnit.SECONDS).join()));
  }

  @Test
  @DisplayName("GEN-LEAVE-2: shutting down tells every connection SHUTTING_DOWN and sends no leave notices (modern)")
  @Verifies("GEN-LEAVE-2")
  void shutdownModern() throws Exception {
    ConformanceSession session = ConformanceSession.open(ReferenceServerRulesTest.options(address, Dialect.MODERN).build());
    assertPass(session.checkShutdown(this::stop));
  }

  @Test
  @DisplayName("GEN-LEAVE-2: shutting down tells every connection SHUTTING_DOWN and sends no leave notices (classic)")
  @Verifies("GEN-LEAVE-2")
  void shutdownClassic() throws Exception {
    ConformanceSession session = ConformanceSession.open(ReferenceServerRulesTest.options(address, Dialect.CLASSIC).build());
    assertPass(session.checkShutdown(this::stop));
  }
}
