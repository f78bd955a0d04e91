package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.UnreachableException;
import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.testkit.Tmux;
import io.github.obrol.protocol.ErrorCode;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What obrol-chat says when things go wrong, and its help. */
class TerminalClientMessagesTest {
  @TempDir Path tmp;

  @Test
  void helpListsTheShortForms() {
    String help = Input.help();
    for (String form : new String[] {"/a ", "/m ", "/w", "/q "}) {
      assertTrue(help.contains(form), form + " missing from:\n" + help);
    }
  }

  @Test
  @DisplayName("an error text that repeats the classic text is printed once")
  void noDoubling() {
    assertEquals("the server is shutting down", ObrolChat.describe(ErrorCode.SHUTTING_DOWN, "the server is shutting down"));
    assertEquals("server shutting down", ObrolChat.describe(ErrorCode.SHUTTING_DOWN, "server shutting down"));
    assertEquals("kicked (be nice)", ObrolChat.describe(ErrorCode.KICKED, "be nice"));
  }

  @Test
  void unknownHostIsSaidPlainly() {
    assertEquals("unknown host nosuch.invalid", ObrolChat.describe(
        new UnreachableException("nosuch.invalid:9009", new UnknownHostException("nosuch.invalid"))));
  }

  @Test
  void ownPrivateMessagesAreEchoed() {
    assertEquals("[you -> bob] psst", ObrolChat.formatOwnPrivate("bob", "psst"));
  }

  private String run(Path err, String... args) throws Exception {
    Process p = new ProcessBuilder(Tmux.obrolChat(args)).redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      p.getOutputStream().close();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "obrol-chat did not exit");
      assertEquals(1, p.exitValue(), Files.readString(err));
      return Files.readString(err);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @Timeout(90)
  @DisplayName("a classic-only server answering the modern greeting with classic bytes: a hint to --dialect classic")
  void classicAnswerToTheGreetingGivesTheHint() throws Exception {
    // The original chatserver.py answers "HELLO obrol/1" + "LOGIN bob" with "\rinvalid command\n".
    try (ScriptedServer server = new ScriptedServer((peer, line) -> peer.send("\rinvalid command"))) {
      String err = run(tmp.resolve("err.txt"), "--name", "bob", "127.0.0.1", Integer.toString(server.port()));
      assertTrue(err.contains("! cannot connect to 127.0.0.1:" + server.port()), err);
      assertTrue(err.contains("use --dialect classic"), err);
    }
  }

  @Test
  @Timeout(90)
  @DisplayName("an unknown host is one clear line")
  void unknownHostIsOneLine() throws Exception {
    String err = run(tmp.resolve("err.txt"), "--name", "bob", "nosuch.invalid", "9009");
    assertEquals("! cannot connect to nosuch.invalid:9009: unknown host nosuch.invalid\n", err.replaceAll("\u001b\\[[0-9;]*m", ""));
  }
}
