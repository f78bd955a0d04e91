package io.github.obrol.server;

import io.github.obrol.protocol.Dialect;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one connection as the admin view and the hooks see it.
 *
 * @param id a number unique among the connections of one server, in order of connection
 * @param remoteAddress the client's address and port
 * @param connectedAt when the connection was accepted
 * @param dialect the connection's dialect, empty until its first bytes decided it (GEN-DIALECT-1)
 * @param name the name the connection logged in with, empty while it is anonymous
 */
public record SessionInfo(
    long id, InetSocketAddress remoteAddress, Instant connectedAt, Optional<Dialect> dialect, Optional<String> name) {
  public SessionInfo {
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(connectedAt, "connectedAt");
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(name, "name");
  }

  /** Whether the connection has logged in. */
  public boolean isLoggedIn() {
    return name.isPresent();
  }

  /** The address as the original server printed it: {@code (127.0.0.1, 52451)}. */
  public String describeAddress() {
    String host = remoteAddress.getAddress() != null ? remoteAddress.getAddress().getHostAddress() : remoteAddress.getHostString();
    return "(" + host + ", " + remoteAddress.getPort() + ")";
  }
}
