package io.github.obrol.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Makes a {@link ChatServer} one node of a cluster whose nodes share one chat through a Redis server
 * (PROTOCOL.md section 8, CLUSTER rules): every event goes through one Redis stream that every node reads
 * and fans out to its own users, and who is online where is kept in Redis with expiry. Needs Lettuce
 * ({@code io.lettuce:lettuce-core}) on the class path; the runnable {@code obrol-server.jar} has it.
 *
 * @param redisUri the Redis server: {@code redis://[[user]:password@]HOST:PORT[/db]}, or {@code rediss://}
 *     for TLS
 * @param nodeId this node's name in logs and in Redis keys: 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}
 * @param nodeTimeout the time within which the users of a node that died are announced as departed by a
 *     surviving node (CLUSTER-3); also how long a node waits for an unreachable Redis before it gives its
 *     users up (CLUSTER-6). At least 1 s.
 */
public record ClusterOptions(String redisUri, String nodeId, Duration nodeTimeout) {
  /** The default {@link #nodeTimeout()}: 10 seconds. */
  public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Checks the values. */
  public ClusterOptions {
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodeTimeout, "nodeTimeout");
    try {
      URI u = new URI(redisUri);
      if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("redisUri: " + redisUri
            + " (expected: redis://[[user]:password@]HOST:PORT[/db] or rediss://...)");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("redisUri: " + redisUri + " (expected: a redis:// or rediss:// URI)", e);
    }
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("nodeId: \"" + nodeId + "\" (expected: 1 to 64 of A-Z a-z 0-9 _ . -)");
    }
    if (nodeTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("nodeTimeout: " + nodeTimeout + " (expected: at least 1 s)");
    }
  }

  /** A cluster over the Redis server at {@code redisUri}, with a random node id and the default node timeout. */
  public static ClusterOptions redis(String redisUri) {
    return new ClusterOptions(redisUri, randomNodeId(), DEFAULT_NODE_TIMEOUT);
  }

  /** The same options with node id {@code nodeId}. */
  public ClusterOptions withNodeId(String nodeId) {
    return new ClusterOptions(redisUri, nodeId, nodeTimeout);
  }

  /** The same options with node timeout {@code nodeTimeout}. */
  public ClusterOptions withNodeTimeout(Duration nodeTimeout) {
    return new ClusterOptions(redisUri, nodeId, nodeTimeout);
  }

  /** The URI without its password, for logs. */
  public String redactedUri() {
    return redisUri.replaceFirst("^(rediss?://)([^@/]*@)", "$1***@");
  }

  @Override
  public String toString() {
    return "ClusterOptions[redisUri=" + redactedUri() + ", nodeId=" + nodeId + ", nodeTimeout=" + nodeTimeout + "]";
  }

  private static String randomNodeId() {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder("node-");
    for (int i = 0; i < 8; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }
}
