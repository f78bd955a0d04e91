package io.github.obrol.benchmarks.load.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code obrol-bench --tls}: the reference server serves TLS with a throw-away self-signed certificate made
 * by the JDK's keytool at start, and the load generator's connections speak TLS (1.3 or 1.2) to it. Set once
 * by the command line before any run ({@link #enable}); read by {@link ServerProcess} and {@link Fleet}.
 * The generator trusts any certificate: it measures the cost of encryption on loopback, not identity.
 */
public final class BenchTls {
  /** The server's TLS implementation and the files of its key. */
  private record Config(String serverProvider, Path keystore, Path passwordFile, SslContext client) {}

  private static volatile Config config;
  /** The addresses of the servers started with TLS: only connections to them speak TLS. */
  private static final java.util.Set<java.net.InetSocketAddress> TLS_SERVERS =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private BenchTls() {}

  /**
   * Turns TLS on for the reference target: makes a key and certificate in a temporary directory (deleted at
   * exit) and the generator's TLS context.
   *
   * @param serverProvider {@code JDK} or {@code OPENSSL}, passed to the server's {@code --tls-provider}
   */
  public static synchronized void enable(String serverProvider) throws IOException {
    String provider = serverProvider.toUpperCase(Locale.ROOT);
    if (!provider.equals("JDK") && !provider.equals("OPENSSL")) {
      throw new IllegalArgumentException("--tls-provider: " + serverProvider + " (expected: JDK or OPENSSL)");
    }
    Path dir = Files.createTempDirectory("obrol-bench-tls");
    Path keystore = dir.resolve("server.p12");
    Path passwordFile = dir.resolve("password");
    String password = "bench-" + Long.toHexString(System.nanoTime());
    Files.writeString(passwordFile, password);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storepass", password, "-keypass", password));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] output = keytool.getInputStream().readAllBytes();
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        keytool.destroyForcibly();
        throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
    keystore.toFile().deleteOnExit();
    passwordFile.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    SslContext client = SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .trustManager(InsecureTrustManagerFactory.INSTANCE)
        .build();
    config = new Config(provider, keystore, passwordFile, client);
  }

  /** Turns TLS off again (tests, which share one JVM). */
  public static synchronized void reset() {
    config = null;
    TLS_SERVERS.clear();
  }

  /** Records that the server at {@code address} was started with {@link #serverArguments()}. */
  static void servesTls(java.net.InetSocketAddress address) {
    if (config != null) {
      TLS_SERVERS.add(address);
    }
  }

  /** Whether {@link #enable} was called. */
  public static boolean enabled() {
    return config != null;
  }

  /** What the run report says about TLS: {@code "off"}, or the server's and the generator's providers. */
  public static String describe() {
    Config c = config;
    return c == null ? "off" : "server " + c.serverProvider() + ", generator "
        + (OpenSsl.isAvailable() ? "OPENSSL" : "JDK");
  }

  /** The reference server's TLS options, or none. */
  static List<String> serverArguments() {
    Config c = config;
    return c == null ? List.of() : List.of("--tls-keystore", c.keystore().toString(), "--tls-keystore-password-file",
        c.passwordFile().toString(), "--tls-provider", c.serverProvider());
  }

  /** {@code handler} behind a TLS client handler for a server started with TLS, else {@code handler} itself. */
  static ChannelHandler wrap(ChannelHandler handler, java.net.InetSocketAddress server) {
    Config c = config;
    if (c == null || !TLS_SERVERS.contains(server)) {
      return handler;
    }
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        // SslHandler holds the login written at channelActive until the handshake is done.
        ch.pipeline().addLast(c.client().newHandler(ch.alloc(), "localhost", 0), handler);
      }
    };
  }
}
