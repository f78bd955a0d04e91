package io.github.obrol.server.cli;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ServerMeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The runnable server's HTTP endpoint on {@code --metrics-port}: {@code GET /metrics} answers the
 * Prometheus text format, {@code GET /health} answers 200 {@code UP} while the chat server serves and 503
 * {@code DOWN} otherwise. The JDK's own HTTP server on one daemon thread: scrapes are rare. Not API.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer http, ExecutorService executor) {
    this.http = http;
    this.executor = executor;
  }

  /** Binds {@code address} and serves {@code server}'s meters, with the JVM's memory and thread meters. */
  static MetricsEndpoint start(ChatServer server, InetSocketAddress address) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ServerMeterBinder(server).bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    HttpServer http = HttpServer.create(address, 16);
    http.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    http.createContext("/health", exchange -> {
      boolean up = server.localAddress() != null && !server.onTerminated().isDone();
      answer(exchange, up ? 200 : 503, "text/plain; charset=utf-8", up ? "UP\n" : "DOWN\n");
    });
    ExecutorService executor = Executors.newSingleThreadExecutor(
        new ThreadFactoryBuilder().setNameFormat("obrol-metrics-http-%d").setDaemon(true).build());
    http.setExecutor(executor);
    http.start();
    return new MetricsEndpoint(http, executor);
  }

  /** The bound address (useful with port 0). */
  InetSocketAddress address() {
    return http.getAddress();
  }

  private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
