package io.github.obrol.server.cluster;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ClusterOptions;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Embedded cluster nodes for tests. */
final class ClusterNodes {
  private ClusterNodes() {}

  /** A started node on a free loopback port. */
  static ChatServer start(RedisProcess redis, String nodeId, Duration nodeTimeout) {
    ChatServer s = ChatServer.builder().bindAddress("127.0.0.1").port(0)
        .cluster(ClusterOptions.redis(redis.uri()).withNodeId(nodeId).withNodeTimeout(nodeTimeout))
        .build();
    s.start().join();
    return s;
  }

  static InetSocketAddress address(ChatServer s) {
    return s.localAddress();
  }

  static void stop(ChatServer... nodes) {
    for (ChatServer s : nodes) {
      if (s != null) {
        s.shutdownGracefully(Duration.ofSeconds(2)).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
            .exceptionally(t -> null).join();
      }
    }
  }
}
