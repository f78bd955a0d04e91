package io.github.obrol.client.terminal;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.testkit.Tmux;
import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.LeaveReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CLIENT-3: the terminal client never prints a control, line separator or bidi character raw, whatever a
 * server relays. Inputs and expected lines are literal strings.
 */
class TerminalTextTest {

  @Test
  @DisplayName("CLIENT-3: C0, DEL, C1, U+2028/U+2029 and bidi controls show as <U+XXXX>")
  void escapesWhatATerminalWouldActOn() {
    assertEquals("hi<U+0085>admin says pwned", TerminalText.escape("hi\u0085admin says pwned"));
    assertEquals("<U+009B>31mred", TerminalText.escape("\u009b31mred"));
    assertEquals("<U+001B>[2J", TerminalText.escape("\u001b[2J"));
    assertEquals("a<U+000D>b<U+000A>c<U+0009>d<U+007F>", TerminalText.escape("a\rb\nc\td\u007f"));
    assertEquals("one<U+2028>two<U+2029>three", TerminalText.escape("one\u2028two\u2029three"));
    assertEquals("<U+202E>txt.exe", TerminalText.escape("\u202etxt.exe"));
    assertEquals("<U+2066>a<U+2067>b<U+2068>c<U+2069>", TerminalText.escape("\u2066a\u2067b\u2068c\u2069"));
    assertEquals("<U+200E><U+200F><U+061C><U+202A><U+202B><U+202C><U+202D>",
        TerminalText.escape("\u200e\u200f\u061c\u202a\u202b\u202c\u202d"));
    assertEquals("lone <U+D800> and <U+DC00>", TerminalText.escape("lone \ud800 and \udc00"));
  }

  @Test
  @DisplayName("CLIENT-3: emoji ZWJ sequences, other format characters and non-Latin text print unchanged")
  void printsEverythingElse() {
    String text = "\uD83D\uDC68\u200D\uD83D\uDC69 caf\u00e9 \u65e5\u672c \u0645\u0631\u062d\u0628\u0627 a\u200bb \u3000";
    assertSame(text, TerminalText.escape(text));
    assertEquals("\uD83D\uDC4D<U+202E>", TerminalText.escape("\uD83D\uDC4D\u202e"));
  }

  @Test
  @DisplayName("CLIENT-3: formatted chat lines escape sender, text and leave detail")
  void formattedLines() {
    assertEquals("[bob] hi<U+2028>[alice] pwned",
        TerminalText.escape(ObrolChat.formatMessage("bob", "hi\u2028[alice] pwned", Audience.BROADCAST)));
    assertEquals("[b<U+202E>ob -> you] x",
        TerminalText.escape(ObrolChat.formatMessage("b\u202eob", "x", Audience.PRIVATE)));
    assertEquals("<-- bob left (quit: bye<U+0085>--> mallory joined)",
        TerminalText.escape(ObrolChat.formatLeft("bob", LeaveReason.QUIT, "bye\u0085--> mallory joined")));
  }

  @Test
  @Timeout(60)
  @DisplayName("CLIENT-3 end to end: obrol-chat prints a relayed U+0085, U+2028, U+202E and CSI escaped, one line each")
  @Verifies("CLIENT-3")
  void endToEnd() throws Exception {
    try (ScriptedServer server = new ScriptedServer((peer, line) -> {
      ScriptedServer.standardModern(peer, line);
      if (line.startsWith("LOGIN ")) {
        // A foreign server that relays what ours refuses (GEN-TEXT-4).
        peer.send("MSG bob hi\u0085alice says pwned");
        peer.send("PRIV bob \u202eexe.txt");
        peer.send("MSG bob one\u2028[alice] two");
        peer.send("NOTICE \u009b2Jcleared");
      }
    })) {
      Process p = new ProcessBuilder(Tmux.obrolChat("--name", "carol", "--reconnect-attempts", "0", "127.0.0.1",
          Integer.toString(server.port()))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try {
        BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
              stdout.add(l);
            }
          } catch (java.io.IOException e) {
            // the process ended
          }
        });
        pump.setDaemon(true);
        pump.start();
        // Java's readLine splits at CR and LF only, like a terminal; a raw U+2028 would still be in the line.
        assertEquals("[bob] hi<U+0085>alice says pwned", stdout.poll(30, TimeUnit.SECONDS));
        assertEquals("[bob -> you] <U+202E>exe.txt", stdout.poll(30, TimeUnit.SECONDS));
        assertEquals("[bob] one<U+2028>[alice] two", stdout.poll(30, TimeUnit.SECONDS));
        assertEquals("*** <U+009B>2Jcleared", stdout.poll(30, TimeUnit.SECONDS));
        p.getOutputStream().close();
        p.waitFor(30, TimeUnit.SECONDS);
      } finally {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
