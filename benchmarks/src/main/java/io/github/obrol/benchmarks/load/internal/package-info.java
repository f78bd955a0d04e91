/**
 * The load generator's implementation, shared with the JMH benchmarks; not an API, may change in any release.
 * {@code Fleet} holds the connections, {@code BenchConnection} reads them, {@code DeliveryTracker} counts
 * deliveries at the receivers, {@code Senders} drives closed and open loops, {@code ServerProcess} starts the
 * servers under test on 127.0.0.1 and reads their memory.
 */
package io.github.obrol.benchmarks.load.internal;
