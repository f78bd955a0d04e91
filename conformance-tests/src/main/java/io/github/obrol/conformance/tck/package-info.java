/** The JUnit Jupiter TCK: extend {@link io.github.obrol.conformance.tck.ChatServerVerification} once. */
package io.github.obrol.conformance.tck;
