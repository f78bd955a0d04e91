package io.github.obrol.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link ChatListener#onDisconnected} learns about a lost connection or a failed reconnect attempt,
 * and how it can veto the reconnect that would follow.
 */
public final class Disconnection {
  private final Throwable cause;
  private final boolean willReconnect;
  private final int nextAttempt;
  private final Duration reconnectDelay;
  private volatile boolean reconnectCancelled;

  /** For the SDK and for tests of listeners. */
  public Disconnection(Throwable cause, boolean willReconnect, int nextAttempt, Duration reconnectDelay) {
    this.cause = Objects.requireNonNull(cause, "cause");
    this.willReconnect = willReconnect;
    this.nextAttempt = nextAttempt;
    this.reconnectDelay = Objects.requireNonNull(reconnectDelay, "reconnectDelay");
  }

  /**
   * Why the connection ended: a {@link ChatException} such as {@link ConnectionLostException} (closed or
   * reset by the server), {@link ServerErrorException} (the server said why, for example {@code
   * SHUTTING_DOWN}), {@link UnreachableException} or {@link ChatTimeoutException} (a reconnect attempt
   * failed).
   */
  public Throwable cause() {
    return cause;
  }

  /** Whether the client will reconnect once the listener returns, unless {@linkplain #cancelReconnect() vetoed}. */
  public boolean willReconnect() {
    return willReconnect;
  }

  /** The number of the reconnect attempt that follows (from 1), or 0 if none follows. */
  public int nextAttempt() {
    return willReconnect ? nextAttempt : 0;
  }

  /** How long the client waits before that attempt ({@link Duration#ZERO} if none follows). */
  public Duration reconnectDelay() {
    return willReconnect ? reconnectDelay : Duration.ZERO;
  }

  /**
   * Vetoes the reconnect: the client closes instead, and {@link ChatListener#onClosed} follows with
   * {@link #cause()}. Effective only while {@link ChatListener#onDisconnected} runs.
   */
  public void cancelReconnect() {
    reconnectCancelled = true;
  }

  /** Whether {@link #cancelReconnect()} was called. */
  public boolean reconnectCancelled() {
    return reconnectCancelled;
  }

  @Override
  public String toString() {
    return "Disconnection[cause=" + cause + ", willReconnect=" + willReconnect + ", nextAttempt="
        + nextAttempt() + ", reconnectDelay=" + reconnectDelay() + "]";
  }
}
