package io.github.obrol.server.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/** TCP keepalive timing for the NIO transport, where the JDK supports it (GEN-LIMIT-12). */
final class KeepAliveOptions {
  private KeepAliveOptions() {}

  static void apply(ServerBootstrap b) {
    try {
      b.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), NettyChatServer.KEEPALIVE_IDLE)
          .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), NettyChatServer.KEEPALIVE_INTERVAL)
          .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), NettyChatServer.KEEPALIVE_PROBES);
    } catch (RuntimeException | LinkageError e) {
      // Not supported here: the system's keepalive timing applies.
    }
  }
}
