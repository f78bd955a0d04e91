package io.github.obrol.server.testing;

import io.github.obrol.server.ChatServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The reference server, embedded on a free loopback port, as a JUnit extension: a fresh server per test, so
 * departures of one test's clients never reach the next test's; it is shut down after each test.
 *
 * <pre>{@code
 * @RegisterExtension final ReferenceServer reference = ReferenceServer.perTest(b -> b.maxLineLength(64));
 * ... LineClient.modern(reference.address(), "alice") ...
 * }</pre>
 *
 * Tests use only the public {@link ChatServer} API and sockets, never server internals.
 */
public final class ReferenceServer implements BeforeEachCallback, AfterEachCallback {
  private final UnaryOperator<ChatServer.Builder> configure;
  private ChatServer server;
  private InetSocketAddress address;

  private ReferenceServer(UnaryOperator<ChatServer.Builder> configure) {
    this.configure = configure;
  }

  /** A default server per test. */
  public static ReferenceServer perTest() {
    return perTest(b -> b);
  }

  /** A server per test, built by {@code configure} from a builder bound to 127.0.0.1, port 0. */
  public static ReferenceServer perTest(UnaryOperator<ChatServer.Builder> configure) {
    return new ReferenceServer(configure);
  }

  /** Starts a server now (for tests that manage its life themselves); close it with {@link ChatServer#close()}. */
  public static ChatServer start(UnaryOperator<ChatServer.Builder> configure) {
    return configure.apply(ChatServer.builder().bindAddress("127.0.0.1").port(0)).build();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server = start(configure);
    InetSocketAddress bound = server.start().get(30, TimeUnit.SECONDS);
    address = new InetSocketAddress("127.0.0.1", bound.getPort());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (server != null) {
      server.shutdownGracefully(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
      server = null;
    }
  }

  /** The running server. */
  public ChatServer server() {
    return server;
  }

  /** Its loopback address. */
  public InetSocketAddress address() {
    return address;
  }
}
