package io.github.obrol.protocol;

/** Who a chat message was addressed to. */
public enum Audience {
  /** Every logged-in user but the sender ({@code sendall}, {@code SEND}). */
  BROADCAST,
  /** One addressee ({@code sendto}, {@code SENDTO}). */
  PRIVATE,
  /**
   * The wire did not say: a classic message frame is the same for both (CL-SENDTO-1). Decoders of the
   * classic dialect produce it; the modern encoder refuses it.
   */
  UNKNOWN
}
