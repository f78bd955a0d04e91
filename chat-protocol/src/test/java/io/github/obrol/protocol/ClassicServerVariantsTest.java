package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Classic server frames of servers written by others (issue 11): blanks before the LF of a notice, a list
 * header, a list entry or an error carry nothing; frames the decoder does not know stay failures (the client
 * shows them as the server's text); a message keeps its text.
 */
class ClassicServerVariantsTest {
  private static List<DecodeResult<ServerMessage>> decode(ClassicServerMessageDecoder d, String line) {
    return d.decode(line.getBytes(StandardCharsets.UTF_8));
  }

  private static ServerMessage one(String line) {
    List<DecodeResult<ServerMessage>> r = decode(new ClassicServerMessageDecoder(), line);
    assertEquals(1, r.size(), line);
    return r.get(0).value();
  }

  @Test
  @DisplayName("CL-JOIN-1, CL-LEAVE-1, CL-ERROR-1: trailing spaces and TABs before LF are tolerated")
  void trailingBlanks() {
    assertEquals(new Event.UserJoined("bob"), one("\rbob sudah terhubung dengan system "));
    assertEquals(new Event.UserLeft("bob", LeaveReason.UNKNOWN, ""), one("\r(bob) off \t"));
    assertEquals(new Event.UserLeft("bob", LeaveReason.UNKNOWN, ""), one("\rClient (bob) off  "));
    assertEquals(new Reply.Error(ErrorCode.INVALID_COMMAND, "invalid command"), one("\rinvalid command "));
  }

  @Test
  @DisplayName("CL-LIST-1: a list header and entries with extra trailing blanks")
  void listWithBlanks() {
    ClassicServerMessageDecoder d = new ClassicServerMessageDecoder();
    assertEquals(List.of(), decode(d, "\rlist yang online "));
    assertEquals(List.of(), decode(d, "alice is online  "));
    assertEquals(List.of(), decode(d, "bob is online"));
    assertEquals(List.of("alice", "bob"), ((Reply.UserList) d.endOfBurst().orElseThrow()).names());
  }

  @Test
  @DisplayName("CL-SENDALL-1: a message keeps its own trailing blanks, less the original's one space")
  void messageKeepsItsText() {
    assertEquals(new Event.Message("bob", "hi  ", Audience.UNKNOWN), one("\rbob says hi   "));
  }

  @Test
  @DisplayName("other servers' texts (\"nama sudah dipake\", \"Please login\", \"Client off\") are failures, not guesses")
  void unknownTextsAreFailures() {
    for (String text : List.of("\rnama sudah dipake", "\rPlease login", "\rClient off", "\rClient off ")) {
      List<DecodeResult<ServerMessage>> r = decode(new ClassicServerMessageDecoder(), text);
      assertEquals(1, r.size(), text);
      assertFalse(r.get(0).isSuccess(), text + " decoded as " + r.get(0));
    }
  }
}
