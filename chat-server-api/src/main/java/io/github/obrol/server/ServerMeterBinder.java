package io.github.obrol.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a server's counters ({@link ChatServer#metrics()}) as Micrometer meters, so that any registry
 * (Prometheus, JMX, OpenTelemetry, ...) can export them:
 *
 * <pre>{@code
 * new ServerMeterBinder(server).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code obrol.connections}</td><td>gauge</td><td></td><td>connections open now</td></tr>
 *   <tr><td>{@code obrol.users}</td><td>gauge</td><td></td><td>logged-in users now</td></tr>
 *   <tr><td>{@code obrol.logins}</td><td>counter</td><td>{@code result=accepted|rejected}</td><td>logins</td></tr>
 *   <tr><td>{@code obrol.frames}</td><td>counter</td><td>{@code direction=in|out}</td><td>frames</td></tr>
 *   <tr><td>{@code obrol.bytes}</td><td>counter (bytes)</td><td>{@code direction=in|out}</td><td>bytes</td></tr>
 *   <tr><td>{@code obrol.deliveries}</td><td>counter</td><td></td><td>events delivered to recipients</td></tr>
 *   <tr><td>{@code obrol.disconnects.slow.consumer}</td><td>counter</td><td></td><td>{@code SLOW_CONSUMER} closes</td></tr>
 *   <tr><td>{@code obrol.decode.errors}</td><td>counter</td><td></td><td>frames refused as invalid</td></tr>
 *   <tr><td>{@code obrol.rate.limited}</td><td>counter</td><td></td><td>commands refused with {@code RATE_LIMITED}</td></tr>
 *   <tr><td>{@code obrol.auth}</td><td>counter</td><td>{@code result=succeeded|failed|throttled}</td><td>{@code AUTH}
 *   attempts (section 8; no account, token or secret in any tag, AUTH-13)</td></tr>
 *   <tr><td>{@code obrol.auth.time}</td><td>counter (seconds)</td><td></td><td>time spent in credential verifiers</td></tr>
 * </table>
 *
 * <p>The meters read the server's counters when the registry asks (no extra work per message). Micrometer
 * is an optional dependency of this module: add {@code io.micrometer:micrometer-core} to use this class.
 */
public final class ServerMeterBinder implements MeterBinder {
  private final ChatServer server;
  private final Tags tags;

  /** Binds {@code server}'s meters without extra tags. */
  public ServerMeterBinder(ChatServer server) {
    this(server, Tags.empty());
  }

  /** Binds {@code server}'s meters with {@code tags} added to each (to tell several servers apart). */
  public ServerMeterBinder(ChatServer server, Iterable<Tag> tags) {
    this.server = Objects.requireNonNull(server, "server");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "obrol.connections", "Connections open now", ServerMetrics::connections);
    gauge(registry, "obrol.users", "Logged-in users now", ServerMetrics::users);
    counter(registry, "obrol.logins", "Logins", null, Tags.of("result", "accepted"), ServerMetrics::loginsAccepted);
    counter(registry, "obrol.logins", "Logins", null, Tags.of("result", "rejected"), ServerMetrics::loginsRejected);
    counter(registry, "obrol.frames", "Frames", null, Tags.of("direction", "in"), ServerMetrics::framesIn);
    counter(registry, "obrol.frames", "Frames", null, Tags.of("direction", "out"), ServerMetrics::framesOut);
    counter(registry, "obrol.bytes", "Bytes", "bytes", Tags.of("direction", "in"), ServerMetrics::bytesIn);
    counter(registry, "obrol.bytes", "Bytes", "bytes", Tags.of("direction", "out"), ServerMetrics::bytesOut);
    counter(registry, "obrol.deliveries", "Events delivered to recipients", null, Tags.empty(), ServerMetrics::deliveries);
    counter(registry, "obrol.disconnects.slow.consumer", "Connections closed with SLOW_CONSUMER", null, Tags.empty(),
        ServerMetrics::slowConsumerDisconnects);
    counter(registry, "obrol.decode.errors", "Frames refused as invalid", null, Tags.empty(), ServerMetrics::decodeErrors);
    counter(registry, "obrol.rate.limited", "Commands refused with RATE_LIMITED", null, Tags.empty(),
        ServerMetrics::rateLimited);
    counter(registry, "obrol.auth", "AUTH attempts", null, Tags.of("result", "succeeded"), ServerMetrics::authSuccesses);
    counter(registry, "obrol.auth", "AUTH attempts", null, Tags.of("result", "failed"), ServerMetrics::authFailures);
    counter(registry, "obrol.auth", "AUTH attempts", null, Tags.of("result", "throttled"), ServerMetrics::authThrottled);
    counter(registry, "obrol.auth.time", "Time spent in credential verifiers", "seconds", Tags.empty(),
        m -> m.authNanos() / 1e9);
  }

  private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ServerMetrics> value) {
    Gauge.builder(name, server, s -> value.applyAsDouble(s.metrics()))
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, String unit, Tags extra,
      ToDoubleFunction<ServerMetrics> value) {
    FunctionCounter.builder(name, server, s -> value.applyAsDouble(s.metrics()))
        .description(description)
        .baseUnit(unit)
        .tags(tags.and(extra))
        .register(registry);
  }
}
