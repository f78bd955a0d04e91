package io.github.obrol.conformance.tck;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.conformance.launch.ServerLauncher;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The TCK against the reference server, embedded: both dialects on one port, with its login timeout and
 * connection limit declared so that GEN-LIMIT-1 and GEN-LIMIT-3 are checked too.
 */
class ReferenceServerVerificationTest extends ChatServerVerification {
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(3);
  private static final int MAX_CONNECTIONS = 40;
  private volatile ChatServer running;

  @Override
  protected ServerLauncher launcher() {
    return () -> {
      ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0)
          .loginTimeout(LOGIN_TIMEOUT).maxConnections(MAX_CONNECTIONS).build();
      InetSocketAddress address;
      try {
        address = server.start().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        server.close();
        throw new IOException("the reference server did not start", e);
      }
      running = server;
      InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", address.getPort());
      return new LaunchedServer() {
        @Override
        public InetSocketAddress address() {
          return loopback;
        }

        @Override
        public boolean ownsServer() {
          return true;
        }

        @Override
        public void close() {
          server.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
      };
    };
  }

  @Override
  protected boolean canBroadcastNotice() {
    return true;
  }

  @Override
  protected void broadcastNotice(LaunchedServer server, String text) {
    running.broadcast(text).orTimeout(10, TimeUnit.SECONDS).join();
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
  protected ConformanceOptions.Builder configure(ConformanceOptions.Builder options) {
    return options.floodBytes(16L << 20).seed(2026);
  }

  @Override
  protected Optional<Path> reportDirectory() {
    return Optional.of(Path.of("target", "conformance", "reference"));
  }
}
