package io.github.obrol.conformance;

import io.github.obrol.conformance.internal.SuiteRunner;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Rule;
import java.util.List;

/**
 * Checks a running chat server against PROTOCOL.md over the network: one check per rule (citing and
 * quoting it), plus model-based random scenarios.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * ConformanceReport report = ConformanceSuite.run(
 *     ConformanceOptions.builder(new InetSocketAddress("127.0.0.1", 9009)).dialect(Dialect.MODERN).build());
 * report.writeTo(Path.of("target/conformance"));
 * if (!report.passed()) { ... }
 * }</pre>
 *
 * <p>The suite connects only to the given address; it logs in users named with a prefix unique to the
 * run and judges only their traffic, so it is safe against a server that has other users.
 */
public final class ConformanceSuite {
  private ConformanceSuite() {}

  /**
   * Runs every selected check against the server.
   *
   * @throws ServerUnreachableException if no connection to the server could be opened
   */
  public static ConformanceReport run(ConformanceOptions options) throws ServerUnreachableException {
    return run(options, new ConformanceListener() {});
  }

  /**
   * Runs every selected check, reporting progress to {@code listener}.
   *
   * @throws ServerUnreachableException if no connection to the server could be opened
   */
  public static ConformanceReport run(ConformanceOptions options, ConformanceListener listener)
      throws ServerUnreachableException {
    return new SuiteRunner(options, listener).run();
  }

  /** The rules the suite reports on for {@code dialect}, in the order of the specification. */
  public static List<Rule> rules(Dialect dialect) {
    return SuiteRunner.rules(dialect);
  }
}
