/**
 * Implementation of the conformance suite: raw wire clients, the rule checks, the reference model of the
 * stateful check, report writers. Not part of the API: it may change in any release.
 */
package io.github.obrol.conformance.internal;
