/**
 * The Obrol conformance suite: checks any chat server against PROTOCOL.md over TCP.
 *
 * <p>{@link io.github.obrol.conformance.ConformanceSuite} runs every selected check and returns a
 * {@link io.github.obrol.conformance.ConformanceReport}; {@link io.github.obrol.conformance.ConformanceSession}
 * checks rules one at a time (the TCK uses it). Results carry the rule ID, its level and text, a
 * {@link io.github.obrol.conformance.Verdict}, expected against actual, and the transcript of every client.
 *
 * <p>{@code io.github.obrol.conformance.internal} is the implementation and not part of the API.
 */
package io.github.obrol.conformance;
