package io.github.obrol.client.internal;

import io.github.obrol.protocol.ClientCommand;

/** A frame waiting for the writer: the command, its encoded bytes and its pending request. */
final class Outbound {
  final ClientCommand command;
  final byte[] bytes;
  final Pending pending;

  Outbound(ClientCommand command, byte[] bytes, Pending pending) {
    this.command = command;
    this.bytes = bytes;
    this.pending = pending;
  }
}
