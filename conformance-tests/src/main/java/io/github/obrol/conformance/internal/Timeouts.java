package io.github.obrol.conformance.internal;

import java.time.Duration;

/**
 * The waits of one run, derived from the measured round trip unless fixed by options.
 *
 * @param roundTrip the slowest of the measured round trips
 * @param reply how long to wait for an expected frame
 * @param silence how long to wait before concluding that nothing more arrives
 * @param listSettle how long a classic list may pause before it counts as complete (CL-LIST-2)
 */
public record Timeouts(Duration roundTrip, Duration reply, Duration silence, Duration listSettle) {

  /** Derives the waits from a measured round trip, clamped to sensible bounds. */
  public static Timeouts derive(Duration roundTrip, Duration fixedReply, Duration fixedSilence) {
    long rttMicros = Math.max(1, roundTrip.toNanos() / 1000);
    Duration reply = fixedReply != null ? fixedReply : clamp(Duration.ofNanos(rttMicros * 1000 * 100), 1000, 10_000);
    Duration silence = fixedSilence != null ? fixedSilence : clamp(Duration.ofNanos(rttMicros * 1000 * 20), 250, 3_000);
    // A list written in one TCP write arrives within microseconds; 50 ms is plenty even on a loaded machine.
    Duration settle = clamp(Duration.ofNanos(rttMicros * 1000 * 10), 15, 50);
    return new Timeouts(roundTrip, reply, silence, settle);
  }

  private static Duration clamp(Duration d, long minMillis, long maxMillis) {
    long ms = Math.max(minMillis, Math.min(maxMillis, d.toMillis()));
    return Duration.ofMillis(ms);
  }

  /**
   * How long an "exactly once" judgement keeps listening after the first match, so that a late duplicate is
   * counted: 10 round trips, at least 50 ms, at most 1 s.
   */
  public Duration settle() {
    return clamp(roundTrip.multipliedBy(10), 50, 1_000);
  }

  /**
   * How long a judgement of departure notices keeps listening after the first one: 50 round trips, at
   * least 2.5 s (servers seen in the wild, the original among them, repeat a departure up to about 2 s
   * later), at most 4 s.
   */
  public Duration departureSettle() {
    return clamp(roundTrip.multipliedBy(50), 2_500, 4_000);
  }

  /** For reports: {@code "round trip 0.4 ms; reply timeout 1000 ms; silence 250 ms"}. */
  public String describe(boolean replyFixed, boolean silenceFixed) {
    return String.format("round trip %.2f ms (slowest of the calibration); reply timeout %d ms (%s); silence %d ms (%s);"
            + " classic list settle %d ms; exactly-once settle %d ms; departure settle %d ms (both derived)",
        roundTrip.toNanos() / 1e6, reply.toMillis(), replyFixed ? "fixed" : "derived", silence.toMillis(),
        silenceFixed ? "fixed" : "derived", listSettle.toMillis(), settle().toMillis(), departureSettle().toMillis());
  }
}
