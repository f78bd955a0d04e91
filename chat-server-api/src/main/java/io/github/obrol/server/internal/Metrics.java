package io.github.obrol.server.internal;

import io.github.obrol.server.ServerMetrics;
import java.util.concurrent.atomic.LongAdder;

/** The server's counters; updated from every event loop without locks. */
final class Metrics {
  final LongAdder loginsAccepted = new LongAdder();
  final LongAdder loginsRejected = new LongAdder();
  final LongAdder framesIn = new LongAdder();
  final LongAdder framesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder deliveries = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();
  final LongAdder decodeErrors = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder internalErrors = new LongAdder();
  final LongAdder refusedConnections = new LongAdder();
  final LongAdder observerEventsDropped = new LongAdder();
  final LongAdder authSucceeded = new LongAdder();
  final LongAdder authFailed = new LongAdder();
  final LongAdder authThrottled = new LongAdder();
  final LongAdder authNanos = new LongAdder();

  ServerMetrics snapshot(long connections, long users) {
    return new ServerMetrics(
        connections,
        users,
        loginsAccepted.sum(),
        loginsRejected.sum(),
        framesIn.sum(),
        framesOut.sum(),
        bytesIn.sum(),
        bytesOut.sum(),
        deliveries.sum(),
        slowConsumers.sum(),
        decodeErrors.sum(),
        rateLimited.sum(),
        internalErrors.sum(),
        refusedConnections.sum(),
        observerEventsDropped.sum(),
        authSucceeded.sum(),
        authFailed.sum(),
        authThrottled.sum(),
        authNanos.sum());
  }
}
