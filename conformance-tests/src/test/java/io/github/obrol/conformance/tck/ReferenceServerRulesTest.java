package io.github.obrol.conformance.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceSession;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import io.github.obrol.testkit.Verifies;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One test per MUST rule that a server keeps, each sending bytes to the <em>reference server</em> (the embedded
 * {@link ChatServer}, both dialects on one port) through the conformance suite's check of that rule, in every
 * dialect the rule applies to, and failing unless the check passes. These are the behavioural tests that
 * {@code @Verifies} links to the rules (RuleCoverageTest requires one per MUST rule); the checks themselves state
 * their expectations from PROTOCOL.md (literal frames and texts), never from our codecs' constants.
 *
 * <p>GEN-LEAVE-2 (shutdown) and CL-NOTICE-1 (an administrator's broadcast) need the server's API and are tested at
 * the end of this class and in {@code ReferenceServerNoticeAndShutdownTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceServerRulesTest {
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_CONNECTIONS = 40;
  private ChatServer server;
  private final Map<Dialect, ConformanceSession> sessions = new EnumMap<>(Dialect.class);

  @BeforeAll
  void start() throws Exception {
    server = ChatServer.builder().bindAddress("127.0.0.1").port(0).loginTimeout(LOGIN_TIMEOUT)
        .maxConnections(MAX_CONNECTIONS).build();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.start().get(30, TimeUnit.SECONDS).getPort());
    for (Dialect dialect : List.of(Dialect.MODERN, Dialect.CLASSIC)) {
      sessions.put(dialect, ConformanceSession.open(options(address, dialect).build()));
    }
  }

  static ConformanceOptions.Builder options(InetSocketAddress address, Dialect dialect) {
    return ConformanceOptions.builder(address).dialect(dialect).mixedDialects(true).loginTimeout(LOGIN_TIMEOUT)
        .maxConnections(MAX_CONNECTIONS).floodBytes(16L << 20).statefulRuns(0).seed(2026)
        .disruptive(true); // the test owns this server: the flood, slot and burst checks disturb no one else
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  /** Runs the suite's check of {@code id} in every dialect it applies to; fails unless each passes. */
  private void check(String id) {
    List<String> ran = new ArrayList<>();
    for (Map.Entry<Dialect, ConformanceSession> e : sessions.entrySet()) {
      if (!e.getValue().ids().contains(id)) {
        continue;
      }
      CheckResult r = e.getValue().check(id);
      ran.add(e.getKey().name());
      if (r.verdict() != Verdict.PASS) {
        fail(id + " (" + e.getKey() + "): " + r.verdict() + "\n" + r.message() + "\n\ntranscript:\n" + r.transcript());
      }
    }
    assertFalse(ran.isEmpty(), id + ": no dialect checks it");
  }

  @Test
  @DisplayName("GEN-NAME-1")
  @Verifies("GEN-NAME-1")
  void gen_name_1() {
    check("GEN-NAME-1");
  }

  @Test
  @DisplayName("GEN-NAME-2")
  @Verifies("GEN-NAME-2")
  void gen_name_2() {
    check("GEN-NAME-2");
  }

  @Test
  @DisplayName("GEN-NAME-3")
  @Verifies("GEN-NAME-3")
  void gen_name_3() {
    check("GEN-NAME-3");
  }

  @Test
  @DisplayName("GEN-NAME-4")
  @Verifies("GEN-NAME-4")
  void gen_name_4() {
    check("GEN-NAME-4");
  }

  @Test
  @DisplayName("GEN-NAME-5")
  @Verifies("GEN-NAME-5")
  void gen_name_5() {
    check("GEN-NAME-5");
  }

  @Test
  @DisplayName("GEN-TEXT-1")
  @Verifies("GEN-TEXT-1")
  void gen_text_1() {
    check("GEN-TEXT-1");
  }

  @Test
  @DisplayName("GEN-TEXT-2")
  @Verifies("GEN-TEXT-2")
  void gen_text_2() {
    check("GEN-TEXT-2");
  }

  @Test
  @DisplayName("GEN-TEXT-3")
  @Verifies("GEN-TEXT-3")
  void gen_text_3() {
    check("GEN-TEXT-3");
  }

  @Test
  @DisplayName("GEN-TEXT-4")
  @Verifies("GEN-TEXT-4")
  void gen_text_4() {
    check("GEN-TEXT-4");
  }

  @Test
  @DisplayName("GEN-TEXT-5")
  @Verifies("GEN-TEXT-5")
  void gen_text_5() {
    check("GEN-TEXT-5");
  }

  @Test
  @DisplayName("GEN-LINE-1")
  @Verifies("GEN-LINE-1")
  void gen_line_1() {
    check("GEN-LINE-1");
  }

  @Test
  @DisplayName("GEN-LINE-2")
  @Verifies("GEN-LINE-2")
  void gen_line_2() {
    check("GEN-LINE-2");
  }

  @Test
  @DisplayName("GEN-DIALECT-1")
  @Verifies("GEN-DIALECT-1")
  void gen_dialect_1() {
    check("GEN-DIALECT-1");
  }

  @Test
  @DisplayName("GEN-DIALECT-2")
  @Verifies("GEN-DIALECT-2")
  void gen_dialect_2() {
    check("GEN-DIALECT-2");
  }

  @Test
  @DisplayName("GEN-DELIVER-1")
  @Verifies("GEN-DELIVER-1")
  void gen_deliver_1() {
    check("GEN-DELIVER-1");
  }

  @Test
  @DisplayName("GEN-DELIVER-2")
  @Verifies("GEN-DELIVER-2")
  void gen_deliver_2() {
    check("GEN-DELIVER-2");
  }

  @Test
  @DisplayName("GEN-DELIVER-3")
  @Verifies("GEN-DELIVER-3")
  void gen_deliver_3() {
    check("GEN-DELIVER-3");
  }

  @Test
  @DisplayName("GEN-JOIN-1")
  @Verifies("GEN-JOIN-1")
  void gen_join_1() {
    check("GEN-JOIN-1");
  }

  @Test
  @DisplayName("GEN-LEAVE-1")
  @Verifies("GEN-LEAVE-1")
  void gen_leave_1() {
    check("GEN-LEAVE-1");
  }

  @Test
  @DisplayName("GEN-LIST-1")
  @Verifies("GEN-LIST-1")
  void gen_list_1() {
    check("GEN-LIST-1");
  }

  @Test
  @DisplayName("GEN-ORDER-1")
  @Verifies("GEN-ORDER-1")
  void gen_order_1() {
    check("GEN-ORDER-1");
  }

  @Test
  @DisplayName("GEN-ORDER-2")
  @Verifies("GEN-ORDER-2")
  void gen_order_2() {
    check("GEN-ORDER-2");
  }

  @Test
  @DisplayName("GEN-ORDER-3")
  @Verifies("GEN-ORDER-3")
  void gen_order_3() {
    check("GEN-ORDER-3");
  }

  @Test
  @DisplayName("GEN-LIMIT-1")
  @Verifies("GEN-LIMIT-1")
  void gen_limit_1() {
    check("GEN-LIMIT-1");
  }

  @Test
  @DisplayName("GEN-LIMIT-3")
  @Verifies("GEN-LIMIT-3")
  void gen_limit_3() {
    check("GEN-LIMIT-3");
  }

  @Test
  @DisplayName("GEN-LIMIT-5")
  @Verifies("GEN-LIMIT-5")
  void gen_limit_5() {
    check("GEN-LIMIT-5");
  }

  @Test
  @DisplayName("GEN-LIMIT-6")
  @Verifies("GEN-LIMIT-6")
  void gen_limit_6() {
    check("GEN-LIMIT-6");
  }

  @Test
  @DisplayName("FR-LINE-1")
  @Verifies("FR-LINE-1")
  void fr_line_1() {
    check("FR-LINE-1");
  }

  @Test
  @DisplayName("FR-LINE-2")
  @Verifies("FR-LINE-2")
  void fr_line_2() {
    check("FR-LINE-2");
  }

  @Test
  @DisplayName("CL-FRAME-1")
  @Verifies("CL-FRAME-1")
  void cl_frame_1() {
    check("CL-FRAME-1");
  }

  @Test
  @DisplayName("CL-FRAME-2")
  @Verifies("CL-FRAME-2")
  void cl_frame_2() {
    check("CL-FRAME-2");
  }

  @Test
  @DisplayName("CL-FRAME-3")
  @Verifies("CL-FRAME-3")
  void cl_frame_3() {
    check("CL-FRAME-3");
  }

  @Test
  @DisplayName("CL-CMD-1")
  @Verifies("CL-CMD-1")
  void cl_cmd_1() {
    check("CL-CMD-1");
  }

  @Test
  @DisplayName("CL-LOGIN-1")
  @Verifies("CL-LOGIN-1")
  void cl_login_1() {
    check("CL-LOGIN-1");
  }

  @Test
  @DisplayName("CL-LOGIN-2")
  @Verifies("CL-LOGIN-2")
  void cl_login_2() {
    check("CL-LOGIN-2");
  }

  @Test
  @DisplayName("CL-LOGIN-3")
  @Verifies("CL-LOGIN-3")
  void cl_login_3() {
    check("CL-LOGIN-3");
  }

  @Test
  @DisplayName("CL-AUTH-1")
  @Verifies("CL-AUTH-1")
  void cl_auth_1() {
    check("CL-AUTH-1");
  }

  @Test
  @DisplayName("CL-AUTH-2")
  @Verifies("CL-AUTH-2")
  void cl_auth_2() {
    check("CL-AUTH-2");
  }

  @Test
  @DisplayName("CL-LIST-1")
  @Verifies("CL-LIST-1")
  void cl_list_1() {
    check("CL-LIST-1");
  }

  @Test
  @DisplayName("CL-SENDALL-1")
  @Verifies("CL-SENDALL-1")
  void cl_sendall_1() {
    check("CL-SENDALL-1");
  }

  @Test
  @DisplayName("CL-SENDTO-1")
  @Verifies("CL-SENDTO-1")
  void cl_sendto_1() {
    check("CL-SENDTO-1");
  }

  @Test
  @DisplayName("CL-SENDTO-2")
  @Verifies("CL-SENDTO-2")
  void cl_sendto_2() {
    check("CL-SENDTO-2");
  }

  @Test
  @DisplayName("CL-SENDTO-3")
  @Verifies("CL-SENDTO-3")
  void cl_sendto_3() {
    check("CL-SENDTO-3");
  }

  @Test
  @DisplayName("CL-INVALID-1")
  @Verifies("CL-INVALID-1")
  void cl_invalid_1() {
    check("CL-INVALID-1");
  }

  @Test
  @DisplayName("CL-SFRAME-1")
  @Verifies("CL-SFRAME-1")
  void cl_sframe_1() {
    check("CL-SFRAME-1");
  }

  @Test
  @DisplayName("CL-SFRAME-2")
  @Verifies("CL-SFRAME-2")
  void cl_sframe_2() {
    check("CL-SFRAME-2");
  }

  @Test
  @DisplayName("CL-JOIN-1")
  @Verifies("CL-JOIN-1")
  void cl_join_1() {
    check("CL-JOIN-1");
  }

  @Test
  @DisplayName("CL-LEAVE-1")
  @Verifies("CL-LEAVE-1")
  void cl_leave_1() {
    check("CL-LEAVE-1");
  }

  @Test
  @DisplayName("CL-ERROR-1")
  @Verifies("CL-ERROR-1")
  void cl_error_1() {
    check("CL-ERROR-1");
  }

  @Test
  @DisplayName("MD-FRAME-1")
  @Verifies("MD-FRAME-1")
  void md_frame_1() {
    check("MD-FRAME-1");
  }

  @Test
  @DisplayName("MD-FRAME-2")
  @Verifies("MD-FRAME-2")
  void md_frame_2() {
    check("MD-FRAME-2");
  }

  @Test
  @DisplayName("MD-REPLY-1")
  @Verifies("MD-REPLY-1")
  void md_reply_1() {
    check("MD-REPLY-1");
  }

  @Test
  @DisplayName("MD-HELLO-2")
  @Verifies("MD-HELLO-2")
  void md_hello_2() {
    check("MD-HELLO-2");
  }

  @Test
  @DisplayName("MD-LOGIN-1")
  @Verifies("MD-LOGIN-1")
  void md_login_1() {
    check("MD-LOGIN-1");
  }

  @Test
  @DisplayName("MD-LOGIN-2")
  @Verifies("MD-LOGIN-2")
  void md_login_2() {
    check("MD-LOGIN-2");
  }

  @Test
  @DisplayName("MD-LIST-1")
  @Verifies("MD-LIST-1")
  void md_list_1() {
    check("MD-LIST-1");
  }

  @Test
  @DisplayName("MD-SEND-1")
  @Verifies("MD-SEND-1")
  void md_send_1() {
    check("MD-SEND-1");
  }

  @Test
  @DisplayName("MD-SENDTO-1")
  @Verifies("MD-SENDTO-1")
  void md_sendto_1() {
    check("MD-SENDTO-1");
  }

  @Test
  @DisplayName("MD-SENDTO-2")
  @Verifies("MD-SENDTO-2")
  void md_sendto_2() {
    check("MD-SENDTO-2");
  }

  @Test
  @DisplayName("MD-PING-1")
  @Verifies("MD-PING-1")
  void md_ping_1() {
    check("MD-PING-1");
  }

  @Test
  @DisplayName("MD-QUIT-1")
  @Verifies("MD-QUIT-1")
  void md_quit_1() {
    check("MD-QUIT-1");
  }

  @Test
  @DisplayName("MD-AUTH-1")
  @Verifies("MD-AUTH-1")
  void md_auth_1() {
    check("MD-AUTH-1");
  }

  @Test
  @DisplayName("MD-INVALID-1")
  @Verifies("MD-INVALID-1")
  void md_invalid_1() {
    check("MD-INVALID-1");
  }

  @Test
  @DisplayName("MD-ERROR-1")
  @Verifies("MD-ERROR-1")
  void md_error_1() {
    check("MD-ERROR-1");
  }

  @Test
  @DisplayName("MD-BYE-1")
  @Verifies("MD-BYE-1")
  void md_bye_1() {
    check("MD-BYE-1");
  }

  @Test
  @DisplayName("MD-EVENT-1")
  @Verifies("MD-EVENT-1")
  void md_event_1() {
    check("MD-EVENT-1");
  }

  @Test
  @DisplayName("MD-EVENT-2")
  @Verifies("MD-EVENT-2")
  void md_event_2() {
    check("MD-EVENT-2");
  }
}
