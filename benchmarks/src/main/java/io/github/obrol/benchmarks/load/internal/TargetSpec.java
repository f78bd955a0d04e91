package io.github.obrol.benchmarks.load.internal;

import com.google.common.net.HostAndPort;
import io.github.obrol.benchmarks.load.Wire;
import java.net.InetSocketAddress;

/**
 * A server to measure, as given on the command line: {@code reference} (the reference server in a child
 * JVM), {@code embedded} (in this JVM), {@code python} (the original, classic only), {@code redis} (Debian's
 * {@code redis-server}), all started by the generator on 127.0.0.1; or {@code obrol://HOST:PORT} and {@code
 * redis://HOST:PORT} for a server that is already running.
 */
public record TargetSpec(String text, Kind kind, String host, int port) {
  /** How the server comes to be. */
  public enum Kind {
    REFERENCE,
    EMBEDDED,
    PYTHON,
    REDIS,
    EXTERNAL_OBROL,
    EXTERNAL_REDIS
  }

  /** Parses a target. */
  public static TargetSpec parse(String text) {
    String t = text.trim();
    switch (t) {
      case "reference":
        return new TargetSpec(t, Kind.REFERENCE, null, 0);
      case "embedded":
        return new TargetSpec(t, Kind.EMBEDDED, null, 0);
      case "python":
        return new TargetSpec(t, Kind.PYTHON, null, 0);
      case "redis":
        return new TargetSpec(t, Kind.REDIS, null, 0);
      default:
        break;
    }
    if (t.startsWith("reference=") && t.length() > "reference=".length()) {
      // The reference server from another build, for a before/after comparison in one run: host holds its class path.
      return new TargetSpec(t, Kind.REFERENCE, t.substring("reference=".length()), 0);
    }
    Kind kind;
    String rest;
    if (t.startsWith("obrol://")) {
      kind = Kind.EXTERNAL_OBROL;
      rest = t.substring("obrol://".length());
    } else if (t.startsWith("redis://")) {
      kind = Kind.EXTERNAL_REDIS;
      rest = t.substring("redis://".length());
    } else {
      throw new IllegalArgumentException(
          "target: " + text + " (expected: reference, reference=CLASSPATH, embedded, python, redis, obrol://HOST:PORT or redis://HOST:PORT)");
    }
    HostAndPort address;
    try {
      address = HostAndPort.fromString(rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target: " + text + " (expected: HOST:PORT with a numeric port, e.g. obrol://127.0.0.1:9009)");
    }
    if (!address.hasPort() || address.getHost().isEmpty()) {
      throw new IllegalArgumentException("target: " + text + " (expected: a port after the host, e.g. obrol://127.0.0.1:9009)");
    }
    String host = address.getHost();
    int port = address.getPort();
    if (port < 1) {
      throw new IllegalArgumentException("target: " + text + " (expected: a port from 1 to 65535)");
    }
    return new TargetSpec(t, kind, host, port);
  }

  /** The wire to speak to this target, given the dialect asked for Obrol servers. */
  public Wire wire(Wire dialect) {
    switch (kind) {
      case REDIS:
      case EXTERNAL_REDIS:
        return Wire.REDIS;
      case PYTHON:
        return Wire.CLASSIC;
      default:
        return dialect;
    }
  }

  /** The class path of the reference server's child JVM: this JVM's own unless the target named one. */
  public String referenceClassPath() {
    return kind == Kind.REFERENCE && host != null ? host : System.getProperty("java.class.path");
  }

  /** The address of an already running server. */
  public InetSocketAddress externalAddress() {
    return new InetSocketAddress(host, port);
  }

  /**
   * Whether the server frames by read boundaries (the original): it gets one message in flight per sender
   * and barriers that are resent until answered (CL-FRAME-4).
   */
  public boolean framesByReads() {
    return kind == Kind.PYTHON;
  }

  /** The most connections the server can hold, or {@link Integer#MAX_VALUE} if unknown. */
  public int connectionLimit() {
    // The original uses select(): a file descriptor above 1023 crashes it; stdio and its listening socket take 4.
    return kind == Kind.PYTHON ? 1015 : Integer.MAX_VALUE;
  }

  @Override
  public String toString() {
    return text;
  }
}
