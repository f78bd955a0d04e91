package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.client.testing.ScriptedServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReadmeExampleTest {
  @Test
  @Timeout(30)
  void readmeExampleRunsAgainstAModernPeer() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ScriptedServer::standardModern)) {
      ReadmeExample.chat("127.0.0.1", server.port());
      assertEquals(List.of("HELLO obrol/1", "LOGIN alice", "SEND hello, everyone", "LIST", "QUIT"),
          new ArrayList<>(server.received));
    }
  }
}
