package io.github.obrol.protocol;

import java.time.Duration;

/**
 * Defaults and fixed limits of the protocol, in one place. Servers and clients expose each configurable
 * value as a builder setting whose Javadoc repeats the default.
 */
public final class ProtocolDefaults {
  /** The protocol version this library speaks, offered in {@code HELLO} (MD-HELLO-1). */
  public static final String VERSION = "obrol/1";

  /** Default maximum frame length in bytes, terminator excluded (GEN-LINE-1). */
  public static final int MAX_LINE_LENGTH = 4096;

  /** Longest frame a server ever sends, and the least a client must accept (GEN-LINE-3). */
  public static final int MAX_SERVER_FRAME_LENGTH = 1 << 20;

  /** Longest valid name in characters (GEN-NAME-1). */
  public static final int MAX_NAME_LENGTH = 32;

  /** Default quiet period that ends an unterminated classic frame (CL-FRAME-2). */
  public static final Duration CLASSIC_QUIET_PERIOD = Duration.ofMillis(100);

  /** Shortest quiet period a server may use (CL-FRAME-2). */
  public static final Duration MIN_CLASSIC_QUIET_PERIOD = Duration.ofMillis(10);

  /** Default time a connection has to log in (GEN-LIMIT-1). */
  public static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

  /** The default TCP port, as in the original assignment. */
  public static final int PORT = 9009;

  private ProtocolDefaults() {}
}
