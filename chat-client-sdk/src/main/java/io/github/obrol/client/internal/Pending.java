package io.github.obrol.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on its way: what it was, the future of its caller ({@code null} for the client's own
 * requests such as the login or a keep-alive ping), and whether it is settled. Fields other than the
 * finals are guarded by the client's lock.
 */
final class Pending {
  enum Kind {
    HELLO,
    /** Modern: the {@code AUTH} exchange before the login, when the client has credentials. */
    AUTH,
    LOGIN,
    /** Classic: the list request that confirms a login, which has no reply of its own. */
    LOGIN_CONFIRM,
    LIST,
    SEND_ALL,
    SEND_TO,
    PING,
    QUIT
  }

  final Kind kind;
  final CompletableFuture<Object> future;
  final String description;
  boolean settled;
  ScheduledFuture<?> timeout;

  Pending(Kind kind, CompletableFuture<Object> future, String description) {
    this.kind = kind;
    this.future = future;
    this.description = description;
  }

  @Override
  public String toString() {
    return description;
  }
}
