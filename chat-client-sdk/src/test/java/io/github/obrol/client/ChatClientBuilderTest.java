package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Dialect;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatClientBuilderTest {
  private static ChatClient.Builder valid() {
    return ChatClient.builder().address("localhost", 9009).username("alice");
  }

  private static String problem(UnaryOperator<ChatClient.Builder> change) {
    return assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build()).getMessage();
  }

  @Test
  void defaults() {
    ChatClient c = valid().build();
    assertEquals(Dialect.MODERN, c.dialect());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals(Duration.ofSeconds(10), c.requestTimeout());
    assertEquals(1 << 20, c.maxQueuedBytes());
    assertEquals(1 << 20, c.maxIncomingLineLength());
    assertEquals(ReconnectPolicy.disabled(), c.reconnectPolicy());
    assertEquals(Duration.ofMillis(100), c.classicQuietPeriod());
    assertEquals(Duration.ofMillis(50), c.classicFrameSpacing());
    assertEquals("localhost:9009", c.address());
    c.close();
  }

  @Test
  @DisplayName("build() validates: messages read \"field: value (expected: ...)\"")
  void validationMessages() {
    assertEquals("port: 0 (expected: 1 to 65535)", problem(b -> b.address("localhost", 0)));
    assertEquals("address: null (expected: a host and port, set with address(host, port))",
        problem(b -> b.address(null, 1)));
    assertEquals("username: null (expected: a name, set with username(name))", problem(b -> b.username(null)));
    assertEquals("maxQueuedBytes: 0 (expected: > 0)", problem(b -> b.maxQueuedBytes(0)));
    assertEquals("connectTimeout: 0 ms (expected: > 0)", problem(b -> b.connectTimeout(Duration.ZERO)));
    assertEquals("requestTimeout: -1 ms (expected: > 0)", problem(b -> b.requestTimeout(Duration.ofMillis(-1))));
    assertEquals("classicQuietPeriod: 5 ms (expected: >= 10 ms)",
        problem(b -> b.classicQuietPeriod(Duration.ofMillis(5))));
    assertEquals("classicFrameSpacing: -1 ms (expected: >= 0)",
        problem(b -> b.classicFrameSpacing(Duration.ofMillis(-1))));
    assertEquals("maxIncomingLineLength: 10 (expected: >= 1048576, GEN-LINE-3)",
        problem(b -> b.maxIncomingLineLength(10)));
  }

  @Test
  @DisplayName("CLIENT-2: build() refuses names that break GEN-NAME-1 or GEN-NAME-3")
  void refusesInvalidNames() {
    assertTrue(problem(b -> b.username("a b")).startsWith("username name: \"a b\" (expected:"));
    assertTrue(problem(b -> b.username("list")).contains("(expected: not a reserved word)"));
    assertTrue(problem(b -> b.username("")).contains("(expected: 1 to 32)"));
  }

  @Test
  void newBuilderCopiesSettings() {
    ChatClient client = valid().dialect(Dialect.CLASSIC).maxQueuedBytes(77).build();
    ChatClient copy = client.newBuilder().username("bob").build();
    assertEquals(Dialect.CLASSIC, copy.dialect());
    assertEquals(77, copy.maxQueuedBytes());
    assertEquals("bob", copy.username());
    copy.close();
    assertEquals(ChatClient.State.NEW, client.state());
    client.close();
    assertEquals(ChatClient.State.CLOSED, client.state());
  }

  @Test
  void reconnectPolicyBacksOffExponentiallyWithJitter() {
    ReconnectPolicy p = new ReconnectPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);
    assertEquals(Duration.ofMillis(100), p.delayBeforeAttempt(1, () -> 0.0));
    assertEquals(Duration.ofMillis(400), p.delayBeforeAttempt(3, () -> 0.0));
    assertEquals(Duration.ofSeconds(1), p.delayBeforeAttempt(9, () -> 0.0));
    assertEquals(Duration.ofMillis(200), p.delayBeforeAttempt(3, () -> 1.0)); // at most half taken off
    assertTrue(p.enabled());
    assertTrue(!ReconnectPolicy.disabled().enabled());
    assertEquals("jitter: 2.0 (expected: 0 to 1)", assertThrows(IllegalArgumentException.class,
        () -> new ReconnectPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 2.0)).getMessage());
    assertEquals("maxAttempts: -1 (expected: >= 0)", assertThrows(IllegalArgumentException.class,
        () -> new ReconnectPolicy(-1, Duration.ZERO, Duration.ZERO, 1.0, 0.0)).getMessage());
  }

  @Test
  void foreverHasNoAttemptLimitAndStaysWithinMaxDelay() {
    ReconnectPolicy p = ReconnectPolicy.forever(Duration.ofSeconds(1), Duration.ofMinutes(1));
    assertEquals(Integer.MAX_VALUE, p.maxAttempts());
    assertTrue(p.enabled());
    assertEquals(Duration.ofSeconds(1), p.delayBeforeAttempt(1, () -> 0.0));
    // Attempt one million, far past any realistic count: still capped at the maximum delay, no overflow.
    assertEquals(Duration.ofMinutes(1), p.delayBeforeAttempt(1_000_000, () -> 0.0));
  }
}
