package io.github.obrol.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Keeps every benchmark runnable: each runs once, briefly, in this JVM. Speed is not asserted. */
class BenchmarksSmokeTest {

  @Test
  @Timeout(180)
  @DisplayName("every codec benchmark runs and yields a score")
  void codecBenchmarksRun() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(CodecBenchmarks.class.getName() + ".*")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .param("payloadBytes", "32")
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    assertEquals(8, results.size(), "one result per benchmark method");
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark() + " produced no operation");
    }
  }

  @Test
  @Timeout(180)
  @DisplayName("the end-to-end broadcast benchmark runs in both dialects against an in-process reference server")
  void broadcastBenchmarkRuns() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(BroadcastBenchmarks.class.getName() + ".*")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .param("receivers", "10")
            .param("payloadBytes", "32")
            .param("senders", "2")
            .param("inFlight", "4")
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    assertEquals(2, results.size(), "one result per dialect");
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams() + " produced no operation");
      assertTrue(r.getSecondaryResults().get("deliveries").getScore() > 0, r.getParams() + " counted no delivery");
    }
  }
}
