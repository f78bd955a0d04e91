package io.github.obrol.benchmarks.load.internal;

import com.google.common.net.HostAndPort;
import io.github.obrol.benchmarks.load.Wire;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A server to measure, as given on the command line: {@code reference} (the reference server in a child
 * JVM), {@code embedded} (in this JVM), {@code python} (the original, classic only), {@code redis} (Debian's
 * {@code redis-server}), all started by the generator on 127.0.0.1; {@code cluster:reference:K} and {@code
 * cluster:embedded:K} (a {@code redis-server} and K reference-server nodes clustered on it, in child JVMs or in
 * this JVM); or {@code obrol://HOST:PORT} and {@code redis://HOST:PORT} for a server that is already running,
 * and {@code obrol://HOST:PORT+HOST:PORT+...} for the nodes of a running cluster. With several nodes, receiver
 * {@code i} and sender {@code j} connect to node {@code i mod K} and {@code j mod K}.
 *
 * @param addresses the addresses of a running server (one) or cluster (one per node); empty for managed targets
 * @param nodes the nodes the run connects to: 1 for a single server, K for a cluster
 */
public record TargetSpec(String text, Kind kind, List<HostAndPort> addresses, int nodes) {
  /** The most nodes {@code cluster:...:K} starts on one machine. */
  public static final int MAX_NODES = 16;

  /** How the server comes to be. */
  public enum Kind {
    REFERENCE,
    EMBEDDED,
    /** {@code nullsink}: a server that only answers and counts ({@link NullSink}), in a child JVM: the generator's ceiling. */
    NULLSINK,
    PYTHON,
    REDIS,
    /** {@code cluster:reference:K}: a Redis the generator owns and K reference servers in child JVMs. */
    CLUSTER_REFERENCE,
    /** {@code cluster:embedded:K}: a Redis the generator owns and K reference servers in this JVM. */
    CLUSTER_EMBEDDED,
    EXTERNAL_OBROL,
    EXTERNAL_REDIS
  }

  public TargetSpec {
    addresses = List.copyOf(addresses);
  }

  /** Parses a target. */
  public static TargetSpec parse(String text) {
    String t = text.trim();
    switch (t) {
      case "reference":
        return new TargetSpec(t, Kind.REFERENCE, List.of(), 1);
      case "embedded":
        return new TargetSpec(t, Kind.EMBEDDED, List.of(), 1);
      case "python":
        return new TargetSpec(t, Kind.PYTHON, List.of(), 1);
      case "nullsink":
        return new TargetSpec(t, Kind.NULLSINK, List.of(), 1);
      case "redis":
        return new TargetSpec(t, Kind.REDIS, List.of(), 1);
      default:
        break;
    }
    if (t.startsWith("cluster:")) {
      return cluster(text, t);
    }
    if (t.startsWith("reference=") && t.length() > "reference=".length()) {
      // The reference server from another build, for a before/after comparison in one run (its class path).
      return new TargetSpec(t, Kind.REFERENCE, List.of(), 1);
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
      throw new IllegalArgumentException("target: " + text + " (expected: reference, reference=CLASSPATH, embedded,"
          + " nullsink, python, redis, cluster:reference:K, cluster:embedded:K, obrol://HOST:PORT[+HOST:PORT...] or redis://HOST:PORT)");
    }
    List<HostAndPort> addresses = new ArrayList<>();
    for (String one : rest.split("\\+", -1)) {
      addresses.add(address(text, one));
    }
    if (kind == Kind.EXTERNAL_REDIS && addresses.size() > 1) {
      throw new IllegalArgumentException("target: " + text + " (expected: one address after redis://)");
    }
    return new TargetSpec(t, kind, addresses, addresses.size());
  }

  private static TargetSpec cluster(String text, String t) {
    String[] parts = t.split(":", -1);
    String expected = " (expected: cluster:reference:K or cluster:embedded:K, K nodes from 1 to " + MAX_NODES + ")";
    if (parts.length != 3 || !(parts[1].equals("reference") || parts[1].equals("embedded"))) {
      throw new IllegalArgumentException("target: " + text + expected);
    }
    int nodes;
    try {
      nodes = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target: " + text + expected);
    }
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("target: " + text + expected);
    }
    return new TargetSpec(t, parts[1].equals("reference") ? Kind.CLUSTER_REFERENCE : Kind.CLUSTER_EMBEDDED, List.of(), nodes);
  }

  private static HostAndPort address(String text, String rest) {
    HostAndPort address;
    try {
      address = HostAndPort.fromString(rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target: " + text + " (expected: HOST:PORT with a numeric port, e.g. obrol://127.0.0.1:9009)");
    }
    if (!address.hasPort() || address.getHost().isEmpty()) {
      throw new IllegalArgumentException("target: " + text + " (expected: a port after the host, e.g. obrol://127.0.0.1:9009)");
    }
    if (address.getPort() < 1) {
      throw new IllegalArgumentException("target: " + text + " (expected: a port from 1 to 65535)");
    }
    return address;
  }

  /** The host of a running server (its first node's), or null for a managed target. */
  public String host() {
    return addresses.isEmpty() ? null : addresses.get(0).getHost();
  }

  /** The port of a running server (its first node's), or 0 for a managed target. */
  public int port() {
    return addresses.isEmpty() ? 0 : addresses.get(0).getPort();
  }

  /** Whether the generator starts a cluster of nodes over its own Redis for this target. */
  public boolean managedCluster() {
    return kind == Kind.CLUSTER_REFERENCE || kind == Kind.CLUSTER_EMBEDDED;
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
    return kind == Kind.REFERENCE && text.startsWith("reference=") ? text.substring("reference=".length())
        : System.getProperty("java.class.path");
  }

  /** The address of an already running server (its first node's). */
  public InetSocketAddress externalAddress() {
    return externalAddresses().get(0);
  }

  /** The addresses of an already running server or cluster, in order. */
  public List<InetSocketAddress> externalAddresses() {
    List<InetSocketAddress> list = new ArrayList<>();
    for (HostAndPort a : addresses) {
      list.add(new InetSocketAddress(a.getHost(), a.getPort()));
    }
    return list;
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
