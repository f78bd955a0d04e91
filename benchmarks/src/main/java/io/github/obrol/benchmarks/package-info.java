/**
 * JMH benchmarks of Obrol: {@link io.github.obrol.benchmarks.CodecBenchmarks} measures the protocol's codec
 * core, {@link io.github.obrol.benchmarks.BroadcastBenchmarks} end-to-end broadcast throughput of the
 * reference server over loopback. Run them with {@code java -jar benchmarks/target/benchmarks.jar}; the load
 * generator that compares servers is {@link io.github.obrol.benchmarks.load.ObrolBench}.
 */
package io.github.obrol.benchmarks;
