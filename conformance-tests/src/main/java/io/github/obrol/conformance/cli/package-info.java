/** The command line, {@code java -jar obrol-conformance.jar}; exit codes in {@link io.github.obrol.conformance.cli.ConformanceCli}. */
package io.github.obrol.conformance.cli;
