/**
 * {@code obrol-bench}, the load generator: {@link io.github.obrol.benchmarks.load.ObrolBench} is its command
 * line, {@link io.github.obrol.benchmarks.load.Wire} what its connections speak. The implementation lives in
 * {@code io.github.obrol.benchmarks.load.internal}, which is not an API.
 */
package io.github.obrol.benchmarks.load;
