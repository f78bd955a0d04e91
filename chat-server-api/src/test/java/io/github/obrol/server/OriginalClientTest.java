package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.server.testing.LineClient;
import io.github.obrol.server.testing.OriginalPrograms;
import io.github.obrol.testkit.Tmux;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.github.obrol.testkit.Verifies;

/** The unchanged original chatclient.py, typed into through tmux, chats with a classic and a modern client. */
@Timeout(120)
class OriginalClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @DisplayName("CL-FRAME-2 CL-LOGIN-2 CL-LIST-1 CL-SENDALL-1 CL-SENDTO-1: the original client logs in, lists, sends and receives")
  @Verifies({"CL-FRAME-2", "CL-LOGIN-2", "CL-LIST-1", "CL-SENDALL-1", "CL-SENDTO-1"})
  void originalClientChats(@TempDir Path dir) throws Exception {
    Optional<Path> script = OriginalPrograms.client();
    assumeTrue(script.isPresent(), "chatclient.py not found in " + OriginalPrograms.seedDir());
    assumeTrue(OriginalPrograms.hasTmux(), "tmux is not installed");
    Optional<List<String>> python = OriginalPrograms.python2();
    assumeTrue(python.isPresent(), "Python 2 is not available");

    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient modern = LineClient.modern(address, "modern_m"); LineClient classic = LineClient.classic(address, "classic_k")) {
        modern.skipUntil("JOIN classic_k");
        List<String> cmd = new ArrayList<>(python.get());
        cmd.addAll(List.of(script.get().toString(), "127.0.0.1", Integer.toString(address.getPort())));
        try (Tmux tmux = Tmux.start(dir, cmd)) {
          tmux.await(p -> p.contains("Ketikkan kata login"), WAIT);
          tmux.keys("login", "Enter");
          tmux.await(p -> p.contains("Masukkan nama anda"), WAIT);
          tmux.keys("orig", "Enter");
          tmux.await(p -> p.contains("Silahkan mulai mengirim pesan"), WAIT);
          // The login frame has no LF: the quiet period ends it, then the others hear of the join.
          modern.expect("JOIN orig");
          classic.expect("\rorig sudah terhubung dengan system");

          tmux.keys("list", "Enter");
          tmux.await(p -> p.contains("list yang online") && p.contains("modern_m is online")
              && p.contains("classic_k is online") && p.contains("orig is online"), WAIT);

          tmux.keys("sendall hello everyone", "Enter");
          modern.expect("MSG orig hello everyone");
          classic.expect("\rorig says hello everyone ");

          tmux.keys("sendto modern_m psst modern", "Enter");
          modern.expect("PRIV orig psst modern");
          tmux.keys("sendto classic_k psst classic", "Enter");
          classic.expect("\rorig says psst classic ");

          modern.send("SENDTO orig hi from modern\n");
          modern.expect("OK SENDTO orig");
          tmux.await(p -> p.contains("modern_m says hi from modern"), WAIT);
          modern.send("SEND all from modern\n");
          modern.expect("OK SEND");
          tmux.await(p -> p.contains("modern_m says all from modern"), WAIT);
          classic.send("classic_k says sendto orig hi from classic\n");
          tmux.await(p -> p.contains("classic_k says hi from classic"), WAIT);

          tmux.keys("sendto nobody x", "Enter");
          tmux.await(p -> p.contains("no such user"), WAIT);

          // CL-LOGIN-2: a second original client with a taken name reads "username sudah dipake" whole and exits.
          try (Tmux second = Tmux.start(dir, cmd)) {
            second.await(p -> p.contains("Ketikkan kata login"), WAIT);
            second.keys("login", "Enter");
            second.await(p -> p.contains("Masukkan nama anda"), WAIT);
            second.keys("ORIG", "Enter");
            second.await(p -> p.contains("username sudah dipake") && p.contains("EXITED="), WAIT);
          }
        }
        // tmux killed the client: exactly one leave notice.
        modern.skipUntil("LEFT orig DISCONNECTED");
        assertEquals(List.of(), modern.modernBarrier());
      }
    }
  }
}
