package io.github.obrol.server.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ServerMessage;
import io.github.obrol.protocol.ClassicServerMessageEncoder;
import io.github.obrol.protocol.ModernServerMessageEncoder;

/**
 * One server message on its way to many recipients, encoded at most once per dialect however many recipients
 * it has (the routers' fan-out), and the one-off encoding of a message for one dialect.
 */
final class Encoding {
  private final ServerMessage message;
  private byte[] classic;
  private byte[] modern;

  Encoding(ServerMessage message) {
    this.message = message;
  }

  /** The message's bytes in {@code dialect}, encoded on first use. */
  byte[] bytesFor(Dialect dialect) {
    if (dialect == Dialect.CLASSIC) {
      return classic != null ? classic : (classic = ClassicServerMessageEncoder.encode(message));
    }
    return modern != null ? modern : (modern = ModernServerMessageEncoder.encode(message));
  }

  /** {@code m} encoded in {@code dialect}. */
  static byte[] encode(ServerMessage m, Dialect dialect) {
    return dialect == Dialect.CLASSIC ? ClassicServerMessageEncoder.encode(m) : ModernServerMessageEncoder.encode(m);
  }
}
