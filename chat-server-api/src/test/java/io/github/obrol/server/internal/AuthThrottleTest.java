package io.github.obrol.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.obrol.testkit.Verifies;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** AUTH-11's numbers on a fake clock, and AUTH-8's PLAIN decoding, with the expected values written out. */
class AuthThrottleTest {
  private long now = 1_000_000_000_000L;
  private final AuthThrottle throttle = new AuthThrottle(() -> now);
  private static final long MS = 1_000_000L;

  @Test
  @Verifies({"AUTH-11"})
  @DisplayName("AUTH-11: delays 0, 250, 500, 1000, 2000 ms per account, lock after 5 for 60 s, cleared by success")
  void accountDelaysAndLock() throws Exception {
    InetAddress a = InetAddress.getByName("192.0.2.1");
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      assertEquals(0, throttle.lockedFor("bob", a));
      delays.add(throttle.failed("Bob", a) / MS);
    }
    assertEquals(List.of(0L, 250L, 500L, 1000L, 2000L), delays);
    assertEquals(60_000 * MS, throttle.lockedFor("BOB", a));
    assertEquals(0, throttle.lockedFor("alice", a), "another account from the same address is not locked");
    now += 59_000 * MS;
    assertEquals(1_000 * MS, throttle.lockedFor("bob", a));
    now += 1_000 * MS;
    assertEquals(0, throttle.lockedFor("bob", a));
    assertEquals(4000L, throttle.failed("bob", InetAddress.getByName("192.0.2.2")) / MS, "6th failure: 250 ms x 2^4, capped at 4 s");
    throttle.succeeded("bob");
    assertEquals(0, throttle.lockedFor("bob", a));
    assertEquals(0, throttle.failed("bob", InetAddress.getByName("192.0.2.3")), "a success cleared the account");
    now += 15 * 60_000 * MS;
    assertEquals(0, throttle.failed("bob", InetAddress.getByName("192.0.2.3")), "forgotten after 15 minutes");
  }

  @Test
  @Verifies({"AUTH-11"})
  @DisplayName("AUTH-11: an address's failures weigh a quarter; 20 lock it for every account")
  void addressDelaysAndLock() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.7");
    List<Long> delays = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      delays.add(throttle.failed("user" + i, a) / MS);
    }
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 250L, 250L, 250L, 250L, 500L, 500L, 500L, 500L,
        1000L, 1000L, 1000L, 1000L, 2000L), delays);
    assertEquals(60_000 * MS, throttle.lockedFor("someone_new", a));
    assertEquals(60_000 * MS, throttle.lockedFor(null, a));
    assertEquals(0, throttle.lockedFor("someone_new", InetAddress.getByName("198.51.100.8")));
  }

  @Test
  @Verifies({"AUTH-8"})
  @DisplayName("AUTH-8: PLAIN is [authzid] NUL authcid NUL password in UTF-8; anything else is malformed")
  void plainFields() {
    assertArrayEquals(new String[] {"", "alice", "pässword"}, AuthFields.plainFields(bytes("\0alice\0pässword")));
    assertArrayEquals(new String[] {"alice", "alice", "x"}, AuthFields.plainFields(bytes("alice\0alice\0x")));
    for (String bad : List.of("alice\0x", "\0\0x", "\0alice\0", "\0a\0b\0c", "nonul")) {
      assertNull(AuthFields.plainFields(bytes(bad)), bad.replace("\0", "<NUL>"));
    }
    assertNull(AuthFields.plainFields(new byte[] {0, 'a', 0, (byte) 0xC3}), "malformed UTF-8");
    assertNull(AuthFields.plainFields(bytes("\0" + "a".repeat(256) + "\0x")), "a field over 255 bytes");
    assertArrayEquals(new byte[0], AuthFields.base64("="));
    assertNull(AuthFields.base64("abc"), "unpadded");
    assertNull(AuthFields.base64("ab!="));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
