package io.github.obrol.testkit;

import java.util.Locale;
import java.util.Optional;
import org.quicktheories.QuickTheory;

/**
 * Where every property test of the project gets its {@link QuickTheory}: with a seed that is fixed by default
 * (the same examples in CI on every run), that a developer overrides to explore ({@code -Dobrol.seed=N} or the
 * environment variable {@code OBROL_SEED=N}; {@code random} draws a new one), and that a failure prints, so any
 * failing run is replayed by passing its seed back.
 *
 * <p>QuickTheories shrinks a falsifying example before reporting it and names its seed ("Seed was N");
 * {@link #check} adds how to replay it with this project's property.
 */
public final class PropertyRuns {
  /** The seed CI uses: any fixed number does; this one is the date the property tests moved off jqwik. */
  public static final long DEFAULT_SEED = 20261201L;

  private PropertyRuns() {}

  /** The seed of this run: {@code obrol.seed}, else {@code OBROL_SEED}, else {@link #DEFAULT_SEED}. */
  public static long seed() {
    String value = Optional.ofNullable(System.getProperty("obrol.seed")).orElse(System.getenv("OBROL_SEED"));
    if (value == null || value.isBlank()) {
      return DEFAULT_SEED;
    }
    if (value.trim().toLowerCase(Locale.ROOT).equals("random")) {
      return RandomSeed.draw();
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("obrol.seed: " + value + " (expected: a long, or 'random')", e);
    }
  }

  /** A QuickTheory with {@code examples} examples and the given seed. */
  public static QuickTheory qt(long seed, int examples) {
    return QuickTheory.qt().withFixedSeed(seed).withExamples(examples);
  }

  /**
   * Runs {@code property} (which builds its theory from {@link #qt(long, int)} with {@code seed}); a failure is
   * rethrown with the seed and how to replay it, so the line to copy is in the test report.
   */
  public static void check(long seed, Runnable property) {
    try {
      property.run();
    } catch (AssertionError e) {
      AssertionError withSeed = new AssertionError(e.getMessage() + "\nreplay with: -Dobrol.seed=" + seed
          + " (or OBROL_SEED=" + seed + ")", e);
      throw withSeed;
    }
  }

  /** A seed nobody chose, for exploring; kept out of {@link #seed()} so that generators never draw one. */
  private static final class RandomSeed {
    static long draw() {
      return new java.security.SecureRandom().nextLong();
    }
  }
}
