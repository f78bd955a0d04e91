package io.github.obrol.server.abuse;

import io.github.obrol.server.ChatServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The server of the scenarios that measure a process: a {@link ChatServer} alone in a child JVM, so that
 * its resident memory and its file descriptors are its own. Arguments are {@code key=value} builder
 * settings; it prints {@code PORT <n>} when it listens and shuts down when its standard input ends.
 */
final class ChildServer {
  private ChildServer() {}

  public static void main(String[] args) throws IOException {
    ChatServer.Builder b = ChatServer.builder().bindAddress("127.0.0.1").port(0);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String key = arg.substring(0, eq);
      String value = arg.substring(eq + 1);
      switch (key) {
        case "maxConnections" -> b.maxConnections(Integer.parseInt(value));
        case "maxOutboundBytes" -> b.maxOutboundBytes(Integer.parseInt(value));
        case "maxLineLength" -> b.maxLineLength(Integer.parseInt(value));
        case "socketSendBuffer" -> b.socketSendBuffer(Integer.parseInt(value));
        case "loginTimeoutMillis" -> b.loginTimeout(Duration.ofMillis(Long.parseLong(value)));
        case "ioThreads" -> b.ioThreads(Integer.parseInt(value));
        default -> throw new IllegalArgumentException("unknown setting: " + key);
      }
    }
    ChatServer server = b.build();
    InetSocketAddress address = server.start().join();
    System.out.println("PORT " + address.getPort());
    System.out.flush();
    // Bounded by the parent: it closes our input when done, and kills us if we outlive it.
    while (System.in.read() >= 0) {
      // discard
    }
    server.shutdownGracefully(Duration.ofSeconds(2)).orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(t -> null).join();
    System.exit(0);
  }
}
