package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.LeaveReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputTest {
  @Test
  void originalCommands() {
    assertEquals(new Input.ListUsers(), Input.parse("list"));
    assertEquals(new Input.SendAll("hello  world"), Input.parse("sendall hello  world"));
    assertEquals(new Input.SendTo("bob", "psst  now"), Input.parse("sendto bob psst  now"));
  }

  @Test
  void shortForms() {
    assertEquals(new Input.ListUsers(), Input.parse("/list"));
    assertEquals(new Input.ListUsers(), Input.parse(" /who "));
    assertEquals(new Input.SendAll("hi"), Input.parse("/all hi"));
    assertEquals(new Input.SendTo("bob", "hi there"), Input.parse("/to bob hi there"));
    assertEquals(new Input.SendTo("bob", "x"), Input.parse("/msg bob x"));
    assertEquals(new Input.Quit(""), Input.parse("/quit"));
    assertEquals(new Input.Quit("see you"), Input.parse("/quit see you"));
    assertEquals(new Input.Quit(""), Input.parse("quit"));
    assertEquals(new Input.Help(), Input.parse("/help"));
  }

  @Test
  void plainTextIsABroadcastAndMistakesAreExplained() {
    assertEquals(new Input.SendAll("hello there"), Input.parse("hello there"));
    assertEquals(new Input.Nothing(), Input.parse("   "));
    assertInstanceOf(Input.Invalid.class, Input.parse("sendto bob"));
    assertInstanceOf(Input.Invalid.class, Input.parse("/to"));
    assertInstanceOf(Input.Invalid.class, Input.parse("sendall"));
    assertInstanceOf(Input.Invalid.class, Input.parse("/frobnicate"));
  }

  @Test
  void formats() {
    assertEquals("[bob -> you] psst", ObrolChat.formatMessage("bob", "psst", Audience.PRIVATE));
    assertEquals("[bob] hi", ObrolChat.formatMessage("bob", "hi", Audience.UNKNOWN));
    assertEquals("<-- bob left", ObrolChat.formatLeft("bob", LeaveReason.UNKNOWN, ""));
    assertEquals("<-- bob left (quit: lunch)", ObrolChat.formatLeft("bob", LeaveReason.QUIT, "lunch"));
    assertEquals("online (2): a, b", ObrolChat.formatList(List.of("a", "b")));
  }
}
