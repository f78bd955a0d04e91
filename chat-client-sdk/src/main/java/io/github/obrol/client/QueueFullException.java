package io.github.obrol.client;

/**
 * The frame does not fit in the outbound queue: the bytes already queued plus the frame's would exceed
 * {@link ChatClient.Builder#maxQueuedBytes}. Nothing was queued; retry once {@link ChatClient#queuedBytes()}
 * has fallen.
 */
public final class QueueFullException extends ChatException {
  private static final long serialVersionUID = 1L;

  private final long queuedBytes;
  private final long maxQueuedBytes;

  /** The exception for a frame of {@code frameBytes} refused with {@code queuedBytes} of {@code maxQueuedBytes} used. */
  public QueueFullException(long frameBytes, long queuedBytes, long maxQueuedBytes) {
    super("queued bytes: " + queuedBytes + " + " + frameBytes + " (expected: <= " + maxQueuedBytes
        + ", maxQueuedBytes)", null);
    this.queuedBytes = queuedBytes;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** The bytes that were queued when the frame was refused. */
  public long queuedBytes() {
    return queuedBytes;
  }

  /** The configured maximum. */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }
}
