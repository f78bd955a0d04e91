package io.github.obrol.client.internal;

import io.github.obrol.client.ChatClient;
import io.github.obrol.client.ChatListener;
import io.github.obrol.client.ClientTls;
import io.github.obrol.client.Credentials;
import io.github.obrol.client.ReconnectPolicy;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Names;
import io.github.obrol.protocol.ProtocolDefaults;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link ChatClient}, validated; not API (users read them through the client's own
 * accessors, as on the server). Each setting is described, with its default, on the builder method of the
 * same name.
 *
 * @param host the server's host name or address
 * @param port the server's TCP port
 * @param username the name to log in with
 * @param dialect the wire dialect
 * @param connectTimeout limit for TCP connect, greeting and login together
 * @param requestTimeout limit for each request's answer, counted from the call
 * @param maxQueuedBytes the most bytes of frames waiting to be written
 * @param maxIncomingLineLength the longest server line accepted, in bytes
 * @param reconnectPolicy when to reconnect after a lost connection
 * @param classicQuietPeriod classic dialect: silence that ends a user list and follows a login
 * @param classicFrameSpacing classic dialect: pause after each message frame
 * @param callbackExecutor runs callbacks and completes futures; {@code null} for the SDK's shared pool
 * @param listener receives the client's events
 * @param tls how to secure the connection; {@code null} for plain text
 * @param credentials what to authenticate with; {@code null} for none
 * @param allowCredentialsWithoutTls whether credentials may be sent without TLS
 */
public record ClientSettings(
    String host,
    int port,
    String username,
    Dialect dialect,
    Duration connectTimeout,
    Duration requestTimeout,
    long maxQueuedBytes,
    int maxIncomingLineLength,
    ReconnectPolicy reconnectPolicy,
    Duration classicQuietPeriod,
    Duration classicFrameSpacing,
    Executor callbackExecutor,
    ChatListener listener,
    ClientTls tls,
    Credentials credentials,
    boolean allowCredentialsWithoutTls) {

  /**
   * Validates every setting; messages read {@code "port: 0 (expected: 1 to 65535)"}.
   *
   * @throws IllegalArgumentException if a setting is out of range or missing
   */
  public ClientSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("address: " + (host == null ? "null" : "\"" + host + "\"")
          + " (expected: a host and port, set with address(host, port))");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1 to 65535)");
    }
    if (username == null) {
      throw new IllegalArgumentException("username: null (expected: a name, set with username(name))");
    }
    String problem = Names.problem(username).orElse(null);
    if (problem != null) {
      // CLIENT-2: refuse a name the server would refuse, before any byte is sent.
      throw new IllegalArgumentException("username " + problem);
    }
    Objects.requireNonNull(dialect, "dialect");
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException("maxQueuedBytes: " + maxQueuedBytes + " (expected: > 0)");
    }
    if (maxIncomingLineLength < ProtocolDefaults.MAX_SERVER_FRAME_LENGTH) {
      throw new IllegalArgumentException("maxIncomingLineLength: " + maxIncomingLineLength + " (expected: >= "
          + ProtocolDefaults.MAX_SERVER_FRAME_LENGTH + ", GEN-LINE-3)");
    }
    Objects.requireNonNull(reconnectPolicy, "reconnectPolicy");
    Objects.requireNonNull(classicQuietPeriod, "classicQuietPeriod");
    if (classicQuietPeriod.compareTo(ProtocolDefaults.MIN_CLASSIC_QUIET_PERIOD) < 0) {
      throw new IllegalArgumentException("classicQuietPeriod: " + classicQuietPeriod.toMillis() + " ms (expected: >= "
          + ProtocolDefaults.MIN_CLASSIC_QUIET_PERIOD.toMillis() + " ms)");
    }
    Objects.requireNonNull(classicFrameSpacing, "classicFrameSpacing");
    if (classicFrameSpacing.isNegative()) {
      throw new IllegalArgumentException(
          "classicFrameSpacing: " + classicFrameSpacing.toMillis() + " ms (expected: >= 0)");
    }
    Objects.requireNonNull(listener, "listener");
    if (credentials != null && dialect != Dialect.MODERN) {
      throw new IllegalArgumentException("credentials: " + credentials.mechanism()
          + " (expected: none with the classic dialect, whose frames cannot carry credentials)");
    }
    if (credentials != null && !(credentials instanceof Credentials.Scram) && tls == null && !allowCredentialsWithoutTls) {
      throw new IllegalArgumentException("credentials: " + credentials.mechanism() + " without tls(...) (expected:"
          + " tls(...), so the secret does not cross the network readable; or allowCredentialsWithoutTls(true))");
    }
  }

  private static void positive(String field, Duration value) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": null (expected: > 0)");
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value.toMillis() + " ms (expected: > 0)");
    }
  }

  /** {@code host:port}, for messages. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
