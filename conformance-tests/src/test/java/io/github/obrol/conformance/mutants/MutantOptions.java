package io.github.obrol.conformance.mutants;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.protocol.Dialect;
import java.time.Duration;

/** Suite options for a {@link MutantServer}: it frames classic input by LF, with a 50 ms quiet period. */
final class MutantOptions {
  private MutantOptions() {}

  static ConformanceOptions.Builder options(MutantServer server, Dialect dialect) {
    return ConformanceOptions.builder(server.address())
        .dialect(dialect)
        .mixedDialects(true)
        .frameGap(Duration.ZERO)
        .quietPeriod(server.quietPeriod())
        .floodBytes(8L << 20)
        .disruptive(true) // a private server: GEN-LIMIT-5 (UNBOUNDED_SEND_QUEUE) must run
        .statefulRuns(3)
        .statefulSteps(20)
        .seed(42);
  }
}
