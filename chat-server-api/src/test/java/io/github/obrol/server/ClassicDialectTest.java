package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;
import io.github.obrol.server.testing.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ClassicDialectTest {
  // A server per test: departures of one test's clients never reach the next test's.
  @RegisterExtension
  final ReferenceServer reference = ReferenceServer.perTest();

  @Test
  @DisplayName("CL-FRAME-2 CL-LOGIN-2 CL-LIST-1 CL-SENDALL-1 CL-SENDTO-1 CL-JOIN-1 CL-LEAVE-1: the original client's session")
  @Verifies({"CL-FRAME-2", "CL-LOGIN-2", "CL-LIST-1", "CL-SENDALL-1", "CL-SENDTO-1", "CL-JOIN-1", "CL-LEAVE-1"})
  void originalSession() throws Exception {
    try (LineClient a = LineClient.connect(reference.address()); LineClient b = LineClient.classic(reference.address(), "c_bob")) {
      a.send("c_alice says c_alice"); // no LF: the quiet period ends the frame
      b.expect("\rc_alice sudah terhubung dengan system");
      a.send("c_alice says list\n");
      a.expect("\rlist yang online");
      a.expect("c_bob is online ");
      a.expect("c_alice is online ");
      a.send("c_alice says sendall hello \t  world\n");
      b.expect("\rc_alice says hello world ");
      a.send("c_alice says sendto C_BOB psst  there\n");
      b.expect("\rc_alice says psst there ");
      a.send("c_alice says sendto carol hi\n");
      a.expect("\rno such user");
      a.send("c_alice says hi\n");
      a.expect("\rinvalid command");
      a.send("c_alice says sendall\n");
      a.expect("\rinvalid command");
      a.send("c_alice says sendto c_bob\n");
      a.expect("\rinvalid command");
      a.send("c_bob says sendall I am bob\n");
      a.expect("\rname mismatch");
      a.send("c_alice says c_alice\n");
      a.expect("\ralready logged in");
      assertEquals(List.of(), b.classicBarrier("c_bob"), "nothing from refused frames reaches others");
      a.close();
      b.expect("\r(c_alice) off");
    }
  }

  @Test
  @DisplayName("CL-FRAME-3: an unterminated login merged with the next frame is two frames")
  @Verifies("CL-FRAME-3")
  void mergedLogin() throws Exception {
    try (LineClient a = LineClient.connect(reference.address())) {
      a.send("c_merge says c_mergec_merge says list\n");
      a.expect("\rlist yang online");
      assertTrue(a.skipUntil("c_merge is online").startsWith("c_merge"));
    }
  }

  @Test
  @DisplayName("CL-LOGIN-2: a taken name is answered alone in one TCP write, the connection stays open")
  @Verifies("CL-LOGIN-2")
  void nameTaken() throws Exception {
    try (LineClient a = LineClient.classic(reference.address(), "c_taken"); LineClient b = LineClient.connect(reference.address())) {
      b.send("C_TAKEN says C_TAKEN\n");
      b.socket().setSoTimeout(10_000);
      InputStream in = b.socket().getInputStream();
      byte[] buf = new byte[4096];
      int n = in.read(buf);
      String first = n < 0 ? "<end of stream>" : new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
      assertEquals("\rusername sudah dipake\n", first, "the first read holds exactly the refusal");
      b.send("c_taken2 says c_taken2\n");
      b.classicBarrier("c_taken2");
      a.expect("\rc_taken2 sudah terhubung dengan system");
    }
  }

  @Test
  @DisplayName("CL-AUTH-2 CL-LOGIN-3 GEN-NAME-1 GEN-NAME-3: anonymous frames and invalid names")
  @Verifies({"CL-AUTH-2", "CL-LOGIN-3", "GEN-NAME-1", "GEN-NAME-3"})
  void anonymous() throws Exception {
    try (LineClient a = LineClient.connect(reference.address())) {
      a.send("c_anon says list\n");
      a.expect("\rnot logged in");
      a.send("c_anon says sendall hi\n");
      a.expect("\rnot logged in");
      a.send("garbage\n");
      a.expect("\rnot logged in");
      a.send("list says list\n");
      a.expect("\rinvalid name");
      a.send("-x says -x\n");
      a.expect("\rinvalid name");
      a.send("c_anon says c_anon\n");
      assertEquals(List.of(), a.classicBarrier("c_anon"));
    }
  }

  @Test
  @DisplayName("CL-QUIT-1: quit closes the connection and announces the leave once")
  @Verifies("CL-QUIT-1")
  void quit() throws Exception {
    try (LineClient a = LineClient.classic(reference.address(), "c_quitter"); LineClient b = LineClient.classic(reference.address(), "c_stays")) {
      a.expect("\rc_stays sudah terhubung dengan system");
      a.send("c_quitter says quit\n");
      assertTrue(a.awaitClosed());
      b.expect("\r(c_quitter) off");
      assertEquals(List.of(), b.classicBarrier("c_stays"));
    }
  }

  @Test
  @DisplayName("FR-LINE-1: frames split anywhere and CR LF terminators give the same result")
  @Verifies("FR-LINE-1")
  void fragmented() throws Exception {
    try (LineClient a = LineClient.classic(reference.address(), "c_frag"); LineClient b = LineClient.classic(reference.address(), "c_frag_rx")) {
      byte[] bytes = "c_frag says sendall one\r\nc_frag says sendall two\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (byte x : bytes) {
        a.send(new byte[] {x});
      }
      b.expect("\rc_frag says one ");
      b.expect("\rc_frag says two ");
    }
  }
}
