package sample;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.conformance.launch.ServerLauncher;
import io.github.obrol.conformance.tck.ChatServerVerification;
import io.github.obrol.server.ChatServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** What a user writes: the TCK against their server (here the reference server, embedded), a few rules. */
class ReferenceServerTckTest extends ChatServerVerification {
  @Override
  protected ServerLauncher launcher() {
    return () -> {
      ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).build();
      InetSocketAddress bound;
      try {
        bound = server.start().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        server.close();
        throw new java.io.IOException("the reference server did not start", e);
      }
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", bound.getPort());
      return new LaunchedServer() {
        @Override
        public InetSocketAddress address() {
          return address;
        }

        @Override
        public boolean ownsServer() {
          return true; // so GEN-LEAVE-2 is checked last, by shutting the server down
        }

        @Override
        public void close() {
          server.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
      };
    };
  }

  @Test
  void runsOnThisProjectsJUnit() {
    // The suite brings no JUnit of its own: the one on the class path is this project's.
    Assertions.assertEquals("6.1.3", Test.class.getPackage().getImplementationVersion());
  }

  @Override
  protected ConformanceOptions.Builder configure(ConformanceOptions.Builder options) {
    return options.include("MD-PING-1", "MD-LOGIN-*", "GEN-DELIVER-1", "CLIENT-1").statefulRuns(0);
  }
}
