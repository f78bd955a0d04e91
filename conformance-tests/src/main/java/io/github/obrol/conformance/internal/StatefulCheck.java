package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.RuleLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The model-based check: random scenarios of several clients (seeded), each step judged against
 * {@link ScenarioModel}; a failing scenario is shrunk (steps removed while it still fails) to a minimal
 * one, reported as a scenario file that {@code replay} runs again.
 */
public final class StatefulCheck {
  /** The ID under which the stateful check is reported; it cites the rule each failure breaks. */
  public static final String ID = "STATEFUL";

  static final String TEXT = "model-based random scenarios: several clients connect, log in (valid, taken, invalid"
      + " names), list, sendall, sendto (present, absent, departed users), quit, close, abort, send malformed,"
      + " oversized, split and merged frames; after each step an in-band barrier and a comparison with the reference"
      + " model (GEN-DELIVER-1/2/3, GEN-JOIN-1, GEN-LEAVE-1, GEN-LIST-1, GEN-ORDER-1/2/3, GEN-NAME-4/5 and the"
      + " dialect's reply rules); on a server of both dialects, classic and modern clients share each scenario"
      + " (GEN-DIALECT-2)";

  private static final int MAX_SHRINK_RUNS = 60;

  private StatefulCheck() {}

  static CheckResult run(RunContext run) {
    long t0 = System.nanoTime();
    Dialect dialect = run.options().dialect();
    boolean mixed = run.options().mixedDialects();
    // Mixed: this flag is for the classic clients (modern ones always split and merge).
    boolean splitAndMerge = (!mixed && dialect == Dialect.MODERN) || run.options().frameGap().isZero();
    for (int i = 0; i < run.options().statefulRuns(); i++) {
      long seed = run.options().seed() + i;
      ScenarioGenerator generator = new ScenarioGenerator(dialect, splitAndMerge, run.maxLineLength(), mixed);
      Random random = new Random(seed);
      List<ScenarioStep> steps = new ArrayList<>();
      Optional<CheckFailure> failure;
      Scenario scenario = null;
      try {
        scenario = new Scenario(run);
        failure = Optional.empty();
        for (int s = 0; s < run.options().statefulSteps(); s++) {
          ScenarioStep step = generator.next(scenario.model(), random);
          steps.add(step);
          scenario.apply(step);
        }
      } catch (CheckFailure f) {
        failure = Optional.of(f);
      } catch (PreconditionFailure p) {
        return result(Verdict.INCONCLUSIVE, t0, "could not be checked: " + p.getMessage(),
            scenario == null ? "" : scenario.context().transcript().render());
      } catch (CheckOutcome o) {
        return result(o.verdict(), t0, o.getMessage(), scenario == null ? "" : scenario.context().transcript().render());
      } catch (RuntimeException | Error e) {
        return result(Verdict.ERROR, t0, "the check itself failed: " + SuiteRunner.stackTrace(e),
            scenario == null ? "" : scenario.context().transcript().render());
      } finally {
        if (scenario != null) {
          scenario.close();
        }
      }
      if (failure.isPresent()) {
        Shrunk shrunk = shrink(run, steps, failure.get());
        String file = ScenarioFile.render(shrunk.steps, dialect,
            "seed " + seed + " (run " + (i + 1) + "), shrunk from " + steps.size() + " to " + shrunk.steps.size()
                + " steps in " + shrunk.replays + " replays");
        String message = "a random scenario (seed " + seed + ") broke the model; shrunk to " + shrunk.steps.size()
            + " steps\n  expected: " + shrunk.failure.expected() + "\n    actual: " + shrunk.failure.actual();
        return result(Verdict.FAIL, t0, message, "# scenario file (run it again with `replay`):\n" + file
            + "\n# wire transcript of the shrunk scenario:\n" + shrunk.transcript);
      }
    }
    return result(Verdict.PASS, t0, "", "");
  }

  private static CheckResult result(Verdict v, long t0, String message, String transcript) {
    return new CheckResult(ID, RuleLevel.MUST, TEXT, v, Duration.ofNanos(System.nanoTime() - t0), message, transcript);
  }

  /** A scenario after shrinking. */
  private static final class Shrunk {
    List<ScenarioStep> steps;
    CheckFailure failure;
    String transcript = "";
    int replays;
  }

  private static Shrunk shrink(RunContext run, List<ScenarioStep> steps, CheckFailure first) {
    Shrunk best = new Shrunk();
    best.steps = new ArrayList<>(steps);
    best.failure = first;
    int chunk = Math.max(1, best.steps.size() / 2);
    // Replays of a failing scenario wait for replies that never come: bound shrinking in time too.
    long deadline = System.nanoTime() + run.timeouts().reply().multipliedBy(12).toNanos();
    while (chunk >= 1 && best.replays < MAX_SHRINK_RUNS && System.nanoTime() < deadline) {
      boolean removedAny = false;
      for (int start = 0; start < best.steps.size() && best.replays < MAX_SHRINK_RUNS
          && System.nanoTime() < deadline; ) {
        List<ScenarioStep> candidate = new ArrayList<>(best.steps);
        candidate.subList(start, Math.min(candidate.size(), start + chunk)).clear();
        best.replays++;
        Replay r = replay(run, candidate);
        if (r.failure.isPresent()) {
          best.steps = candidate;
          best.failure = r.failure.get();
          best.transcript = r.transcript;
          removedAny = true;
        } else {
          start += chunk;
        }
      }
      if (!removedAny) {
        chunk /= 2;
      }
    }
    if (best.transcript.isEmpty()) {
      Replay r = replay(run, best.steps);
      best.transcript = r.transcript;
      r.failure.ifPresent(f -> best.failure = f);
    }
    return best;
  }

  /** The outcome of running a fixed list of steps. */
  public static final class Replay {
    final Optional<CheckFailure> failure;
    final String transcript;
    final Optional<String> inconclusive;

    Replay(Optional<CheckFailure> failure, String transcript) {
      this(failure, transcript, Optional.empty());
    }

    Replay(Optional<CheckFailure> failure, String transcript, Optional<String> inconclusive) {
      this.failure = failure;
      this.transcript = transcript;
      this.inconclusive = inconclusive;
    }

    /** Why the replay could not be judged (its setup, such as the observer's login, did not work), if so. */
    public Optional<String> inconclusive() {
      return inconclusive;
    }

    /** The failure, if the server broke the model. */
    public Optional<CheckFailure> failure() {
      return failure;
    }

    /** Every client's traffic during the replay. */
    public String transcript() {
      return transcript;
    }
  }

  /** Runs {@code steps} in a fresh scenario (fresh name prefix) and judges every step. */
  public static Replay replay(RunContext run, List<ScenarioStep> steps) {
    Scenario scenario = null;
    try {
      scenario = new Scenario(run);
      for (ScenarioStep step : steps) {
        scenario.apply(step);
      }
      return new Replay(Optional.empty(), scenario.context().transcript().render());
    } catch (CheckFailure f) {
      return new Replay(Optional.of(f), scenario == null ? "" : scenario.context().transcript().render());
    } catch (PreconditionFailure | CheckOutcome p) {
      // The scenario's setup (the observer's login) did not work: not a failure of the scenario's steps.
      return new Replay(Optional.empty(), (scenario == null ? "" : scenario.context().transcript().render())
          + "# the replay could not be judged: " + p.getMessage() + "\n", Optional.of(p.getMessage()));
    } finally {
      if (scenario != null) {
        scenario.close();
      }
    }
  }

  /** Reads and writes scenario files: comment lines start with '#', then one {@link ScenarioStep} per line. */
  public static final class ScenarioFile {
    private ScenarioFile() {}

    public static String render(List<ScenarioStep> steps, Dialect dialect, String note) {
      StringBuilder b = new StringBuilder();
      b.append("# obrol conformance scenario\n# dialect: ").append(dialect.name().toLowerCase(Locale.ROOT)).append('\n');
      b.append("# ").append(note).append('\n');
      b.append("# replay: java -jar obrol-conformance.jar replay THIS_FILE --host H --port P\n");
      for (ScenarioStep s : steps) {
        b.append(s.describe()).append('\n');
      }
      return b.toString();
    }

    /** The dialect a scenario file declares, or empty. */
    public static Optional<Dialect> dialect(String text) {
      return text.lines().filter(l -> l.startsWith("# dialect: ")).findFirst()
          .map(l -> Dialect.valueOf(l.substring(11).trim().toUpperCase(Locale.ROOT)));
    }

    public static List<ScenarioStep> parse(String text) {
      List<ScenarioStep> steps = new ArrayList<>();
      for (String line : text.split("\n")) {
        String l = line.trim();
        if (!l.isEmpty() && !l.startsWith("#")) {
          steps.add(ScenarioStep.parse(l));
        }
      }
      return steps;
    }

    public static List<ScenarioStep> read(Path file) throws IOException {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    }
  }
}
