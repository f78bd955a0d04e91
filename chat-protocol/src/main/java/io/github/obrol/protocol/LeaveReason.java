package io.github.obrol.protocol;

/** Why a user departed, as carried by the modern {@code LEFT} event (PROTOCOL.md section 1). */
public enum LeaveReason {
  /** The user sent {@code QUIT} (MD-QUIT-1, CL-QUIT-1). */
  QUIT,
  /** The client closed or reset the connection. */
  DISCONNECTED,
  /** The login or idle timeout expired (GEN-LIMIT-1, GEN-LIMIT-2). */
  TIMEOUT,
  /** An administrator disconnected the user. */
  KICKED,
  /** The client did not read fast enough (GEN-LIMIT-5). */
  SLOW_CONSUMER,
  /** The server shut down. */
  SHUTDOWN,
  /** The wire did not say: classic leave notices carry no reason (CL-LEAVE-1). Never encoded in modern. */
  UNKNOWN
}
