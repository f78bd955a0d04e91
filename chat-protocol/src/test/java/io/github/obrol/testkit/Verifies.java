package io.github.obrol.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test method as a check of the PROTOCOL.md rules it names: the test would fail if the rule were
 * broken. The rule catalogue test ({@code RuleCoverageTest} in conformance-tests) reads these annotations from
 * the compiled test classes of every module and requires one for each MUST rule, so a rule counts as tested
 * only through a test method that claims it, never through a mention in a comment or a string.
 *
 * <p>Server rules are claimed by tests that send bytes to the real server over a socket; client rules by tests
 * in which the real client reads bytes from a scripted server.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Verifies {
  /** The rule IDs, e.g. {@code "GEN-ORDER-2"}. */
  String[] value();
}
