/**
 * How the suite gets its server: an already running address, an external command started per run, or a
 * container image through Testcontainers (optional dependency).
 */
package io.github.obrol.conformance.launch;
