package io.github.obrol.conformance;

/**
 * Progress of a conformance run. Called on the thread that runs the suite, in order: {@link #started},
 * then {@link #checkStarted} and {@link #checkFinished} per rule, then {@link #finished}. Nothing is
 * called after {@link #finished}. Every method has a no-op default.
 */
public interface ConformanceListener {
  /** The run starts; {@code calibration} says how the timeouts were derived. */
  default void started(int checks, String calibration) {}

  /** A rule's check starts. */
  default void checkStarted(int index, int total, String ruleId) {}

  /** A rule's check finished. */
  default void checkFinished(int index, int total, CheckResult result) {}

  /** The run finished. */
  default void finished(ConformanceReport report) {}
}
