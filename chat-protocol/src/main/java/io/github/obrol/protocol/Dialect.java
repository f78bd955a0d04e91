package io.github.obrol.protocol;

/** The two wire dialects of the protocol (PROTOCOL.md sections 5 and 6). */
public enum Dialect {
  /** Byte-compatible with the original {@code chatserver.py} and {@code chatclient.py}. */
  CLASSIC,
  /** Verbs first, one reply per request, typed errors. */
  MODERN
}
