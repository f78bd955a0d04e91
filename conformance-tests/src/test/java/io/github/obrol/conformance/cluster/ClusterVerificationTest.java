package io.github.obrol.conformance.cluster;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.conformance.launch.ServerLauncher;
import io.github.obrol.conformance.tck.ChatServerVerification;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ClusterOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The whole suite (the TCK, both dialects on one port) against a cluster: a {@code redis-server} of its own and
 * three reference servers embedded in this JVM, clustered on it ({@link ClusterOptions}). Each check's users are
 * spread over the three nodes round-robin, so broadcasts, private messages, notices, name clashes and the
 * barriers that order them cross nodes. Skipped, with the reason, where {@code redis-server} is not installed.
 *
 * <p>The declared connection limit is each node's own (GEN-LIMIT-3 fills one node). The administrator's broadcast
 * (CL-NOTICE-1) is sent through the second node and must reach users of all three. GEN-LEAVE-2 is not run:
 * when a cluster's nodes shut down one by one, the users of the others are told that the first node's users left
 * (the cluster section of PROTOCOL.md says so), which GEN-LEAVE-2 forbids for one server; chat-server-api's cluster
 * tests check the graceful shutdown of a node.
 */
class ClusterVerificationTest extends ChatServerVerification {
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(3);
  private static final int MAX_CONNECTIONS = 40;
  private static final int NODES = 3;
  private final List<ChatServer> nodes = new ArrayList<>();

  @Override
  protected ServerLauncher launcher() {
    return () -> {
      Assumptions.assumeTrue(RedisProcess.installed(),
          "redis-server is not installed (apt-get install redis-server): the suite over a 3-node cluster is not run");
      RedisProcess redis = RedisProcess.start(Duration.ofSeconds(30));
      List<InetSocketAddress> addresses = new ArrayList<>();
      try {
        for (int i = 1; i <= NODES; i++) {
          ChatServer node = ChatServer.builder().bindAddress("127.0.0.1").port(0).loginTimeout(LOGIN_TIMEOUT)
              .maxConnections(MAX_CONNECTIONS).cluster(ClusterOptions.redis(redis.uri()).withNodeId("n" + i)).build();
          nodes.add(node);
          addresses.add(new InetSocketAddress("127.0.0.1", node.start().get(30, TimeUnit.SECONDS).getPort()));
        }
      } catch (Exception e) {
        stop(redis);
        throw new IOException("the 3-node cluster did not start", e);
      }
      return new LaunchedServer() {
        @Override
        public InetSocketAddress address() {
          return addresses.get(0);
        }

        @Override
        public List<InetSocketAddress> addresses() {
          return addresses;
        }

        @Override
        public void close() {
          stop(redis);
        }
      };
    };
  }

  /** Shuts every node down at once, then Redis. */
  private void stop(RedisProcess redis) {
    List<CompletableFuture<?>> stopping = new ArrayList<>();
    for (ChatServer node : nodes) {
      stopping.add(node.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> null));
    }
    stopping.forEach(CompletableFuture::join);
    nodes.clear();
    redis.close();
  }

  @Override
  protected List<Dialect> dialects() {
    return List.of(Dialect.MODERN, Dialect.CLASSIC);
  }

  @Override
  protected boolean servesBothDialects() {
    return true;
  }

  @Override
  protected Optional<Duration> loginTimeout() {
    return Optional.of(LOGIN_TIMEOUT);
  }

  @Override
  protected int maxConnections() {
    return MAX_CONNECTIONS;
  }

  @Override
  protected boolean canBroadcastNotice() {
    return true;
  }

  @Override
  protected void broadcastNotice(LaunchedServer server, String text) {
    nodes.get(1).broadcast(text).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  protected ConformanceOptions.Builder configure(ConformanceOptions.Builder options) {
    // The test owns the cluster (no other users): the disruptive checks run, as for a server the TCK launched.
    // A broadcast crosses Redis before any node fans it out, so the slow-consumer flood (GEN-LIMIT-5) fills the slow
    // user's node more slowly than one server: 20 s instead of 10 for a server timer to fire (the bound is unchanged).
    return options.disruptive(true).floodBytes(16L << 20).maxWait(Duration.ofSeconds(20)).seed(2026);
  }

  @Override
  protected Optional<Path> reportDirectory() {
    return Optional.of(Path.of("target", "conformance", "cluster"));
  }
}
