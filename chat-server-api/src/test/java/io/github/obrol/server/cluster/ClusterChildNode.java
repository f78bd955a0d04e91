package io.github.obrol.server.cluster;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ClusterOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A cluster node alone in a child JVM, for the test that kills one with SIGKILL. Arguments: Redis URI, node
 * id, node timeout in milliseconds. Prints {@code PORT <n>} once it listens; exits when its standard input
 * ends (the parent kills it before that).
 */
final class ClusterChildNode {
  private ClusterChildNode() {}

  public static void main(String[] args) throws IOException {
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0)
        .cluster(ClusterOptions.redis(args[0]).withNodeId(args[1]).withNodeTimeout(Duration.ofMillis(Long.parseLong(args[2]))))
        .build();
    InetSocketAddress address = server.start().join();
    System.out.println("PORT " + address.getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // discard; bounded by the parent, which closes our input or kills us
    }
    System.exit(0);
  }
}
