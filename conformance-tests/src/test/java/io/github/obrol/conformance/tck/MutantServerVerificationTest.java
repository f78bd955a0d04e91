package io.github.obrol.conformance.tck;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.conformance.launch.ServerLauncher;
import io.github.obrol.conformance.mutants.MutantServer;
import io.github.obrol.protocol.Dialect;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The TCK run against its own sample, the correct test server: how an implementer uses
 * {@link ChatServerVerification} (one class, a launcher and the server's capabilities), and proof that the
 * TCK passes a conforming server with every rule shown as its own test.
 */
class MutantServerVerificationTest extends ChatServerVerification {
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(3);

  @Override
  protected ServerLauncher launcher() {
    return () -> {
      MutantServer server = MutantServer.start(MutantServer.Mutation.NONE, LOGIN_TIMEOUT);
      return new LaunchedServer() {
        @Override
        public InetSocketAddress address() {
          return server.address();
        }

        @Override
        public boolean ownsServer() {
          return true;
        }

        @Override
        public void close() {
          server.close();
        }
      };
    };
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
  protected Duration quietPeriod() {
    return Duration.ofMillis(50);
  }

  @Override
  protected ConformanceOptions.Builder configure(ConformanceOptions.Builder options) {
    return options.floodBytes(8L << 20).seed(11);
  }

  @Override
  protected Optional<Path> reportDirectory() {
    return Optional.of(Path.of("target", "conformance", "tck-sample"));
  }
}
