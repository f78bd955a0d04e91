package io.github.obrol.benchmarks.load;

import java.nio.charset.StandardCharsets;

/**
 * What a load-generator connection speaks: one of the two Obrol dialects (PROTOCOL.md sections 5 and 6),
 * or Redis pub/sub (RESP {@code SUBSCRIBE}/{@code PUBLISH}), the comparison peer for fan-out.
 *
 * <p>Each wire knows the bytes of a login, of a barrier request and of a broadcast, and how to recognise
 * the replies the load generator waits for. Deliveries are recognised the same way on every wire, by the
 * marker the generator puts at the start of each message text (see {@code Payload}).
 */
public enum Wire {
  /** The modern dialect: {@code LOGIN}, {@code PING} as barrier, {@code SEND}; receivers read {@code MSG}. */
  MODERN,
  /**
   * The classic dialect: {@code "<n> says <n>"} logs in; the barrier is a frame the server answers with
   * {@code "\rinvalid command\n"} (CL-INVALID-1), the one reply every classic server gives, the original
   * included; {@code "<n> says sendall <text>"} broadcasts.
   */
  CLASSIC,
  /**
   * Redis pub/sub: receivers {@code SUBSCRIBE} one channel, senders {@code PUBLISH} to it, each with a
   * subscribed companion connection so that a broadcast reaches as many connections as on an Obrol server,
   * whose senders are members of the room.
   */
  REDIS;

  /** The Redis channel every receiver subscribes to. */
  public static final String REDIS_CHANNEL = "obrol-bench";

  /** The bytes that make a receiver (or a modern/classic sender) a member of the audience. */
  public byte[] login(String name) {
    switch (this) {
      case MODERN:
        return ascii("LOGIN " + name + "\n");
      case CLASSIC:
        return ascii(name + " says " + name + "\n");
      default:
        return resp("SUBSCRIBE", REDIS_CHANNEL);
    }
  }

  /**
   * A request whose reply proves that everything the server did before has reached this connection
   * (GEN-ORDER-3): modern {@code PING}, classic an invalid command. Redis needs none: the subscription's
   * confirmation is the barrier.
   */
  public byte[] barrier(String name) {
    switch (this) {
      case MODERN:
        return ascii("PING sync\n");
      case CLASSIC:
        return ascii(name + " says sync\n");
      default:
        return null;
    }
  }

  /** The bytes of one broadcast of {@code text} by {@code sender}. */
  public byte[] broadcast(String sender, String text) {
    switch (this) {
      case MODERN:
        return ascii("SEND " + text + "\n");
      case CLASSIC:
        return ascii(sender + " says sendall " + text + "\n");
      default:
        return resp("PUBLISH", REDIS_CHANNEL, text);
    }
  }

  /** Whether senders of this wire join the audience (and so receive each other's messages). */
  public boolean sendersLogIn() {
    return this != REDIS;
  }

  /** A RESP array of bulk strings, as {@code redis-cli} sends commands. */
  static byte[] resp(String... parts) {
    StringBuilder b = new StringBuilder().append('*').append(parts.length).append("\r\n");
    for (String p : parts) {
      b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
