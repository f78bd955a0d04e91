/**
 * JMH benchmarks of Obrol. {@link io.github.obrol.benchmarks.CodecBenchmarks} measures the protocol's
 * codec core; run everything with {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package io.github.obrol.benchmarks;
