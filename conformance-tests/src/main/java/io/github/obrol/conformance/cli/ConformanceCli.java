package io.github.obrol.conformance.cli;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceListener;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSession;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.ServerUnreachableException;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.internal.RunContext;
import io.github.obrol.conformance.internal.ScenarioStep;
import io.github.obrol.conformance.internal.StatefulCheck;
import io.github.obrol.conformance.internal.SuiteRunner;
import io.github.obrol.conformance.internal.TargetProbe;
import io.github.obrol.conformance.launch.ExternalCommandLauncher;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Rule;
import io.github.obrol.protocol.RuleLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar obrol-conformance.jar --host H --port P --dialect classic|modern}: checks a chat server
 * against PROTOCOL.md and writes a report.
 *
 * <p>Exit codes: {@value #EXIT_PASS} every MUST rule was checked and met (with {@code --strict}: every SHOULD
 * rule too); {@value #EXIT_FAIL} a rule failed; {@value #EXIT_USAGE} bad arguments (also {@code --include} or
 * {@code --exclude} globs that match no rule); {@value #EXIT_UNREACHABLE} could not connect to the server (or
 * start it with {@code --launch}), or it answered like a server of another protocol; {@value #EXIT_BROKEN} no
 * rule failed but the suite itself broke on some check (an ERROR verdict: a bug of the suite, with its stack
 * trace in the report); {@value #EXIT_INCONCLUSIVE} nothing failed or broke, but some MUST rule could not be
 * checked (INCONCLUSIVE: a precondition such as a login or a barrier did not behave as the check needs), so the
 * run is not a pass. A run with several outcomes exits with the first of 1, 4, 5.
 */
@Command(name = "obrol-conformance", mixinStandardHelpOptions = true, versionProvider = ConformanceCli.Version.class,
    sortOptions = false, subcommands = {ConformanceCli.Replay.class, ConformanceCli.Rules.class},
    description = "Checks a chat server against the obrol/1 protocol (PROTOCOL.md) over TCP.",
    footer = {"", "Exit codes:",
        "  0  pass: every MUST rule checked and met (--strict: SHOULD rules too)",
        "  1  a rule failed (FAIL)",
        "  2  bad arguments, or --include/--exclude globs that match no rule",
        "  3  could not connect or launch, or not a chat server (e.g. HTTP)",
        "  4  no rule failed, but the suite broke on a check (ERROR, a suite bug)",
        "  5  nothing failed or broke, but a MUST rule was INCONCLUSIVE",
        "  (several outcomes: the first of 1, 4, 5)",
        "",
        "Other users of the target see the run's users (named with the run's",
        "prefix) join, leave and send short broadcasts. Floods, maxline-sized",
        "broadcasts, request bursts and filling every connection slot need",
        "--disruptive (implied by --launch, which owns the server)."})
public final class ConformanceCli implements Callable<Integer> {
  public static final int EXIT_PASS = 0;
  public static final int EXIT_FAIL = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNREACHABLE = 3;
  public static final int EXIT_BROKEN = 4;
  public static final int EXIT_INCONCLUSIVE = 5;

  /** Options shared by the run and replay commands. */
  static class Target {
    @Option(names = "--host", description = "server host (loopback only recommended). Default: ${DEFAULT-VALUE}",
        defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "server port. Default: ${DEFAULT-VALUE}", defaultValue = "9009")
    int port;

    @Option(names = "--dialect", description = "classic or modern. Default: ${DEFAULT-VALUE}", defaultValue = "modern")
    String dialect;

    @Option(names = "--reply-timeout", paramLabel = "MS", description = "fixed reply timeout (default: derived from the measured round trip)")
    Long replyTimeout;

    @Option(names = "--silence", paramLabel = "MS", description = "fixed silence window (default: derived)")
    Long silence;

    @Option(names = "--frame-gap", paramLabel = "MS", description = "classic pacing for servers that frame by read boundaries; 0 for servers that frame by LF. Default: ${DEFAULT-VALUE}",
        defaultValue = "150")
    long frameGap;

    @Option(names = "--quiet-period", paramLabel = "MS", description = "the server's classic quiet period. Default: ${DEFAULT-VALUE}",
        defaultValue = "100")
    long quietPeriod;

    // TLS and accounts (PROTOCOL.md section 8): see ConformanceSecurity.
    @Option(names = "--tls", description = "connect with TLS (1.3 or 1.2); certificates are verified against --ca or the JVM's CAs")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE", description = "trust the CA certificate(s) in this PEM file (implies --tls)")
    Path caFile;

    @Option(names = "--tls-insecure", description = "accept any certificate for any host (self-signed test servers; implies --tls)")
    boolean tlsInsecure;

    @Option(names = "--accounts", paramLabel = "FILE", description = "name:password lines: the AUTH checks log in with these"
        + " accounts (AUTH PLAIN over TLS); without it, AUTH rules that need an account are INCONCLUSIVE")
    Path accountsFile;

    @Option(names = "--launch", paramLabel = "CMD", description = "start the server with this command (split at spaces; {port} is replaced by a free port) and stop it afterwards")
    String launch;

    Dialect dialect() {
      switch (dialect.toLowerCase(Locale.ROOT)) {
        case "classic":
          return Dialect.CLASSIC;
        case "modern":
          return Dialect.MODERN;
        default:
          throw new CommandLine.ParameterException(new CommandLine(new ConformanceCli()),
              "--dialect: " + dialect + " (expected: classic or modern)");
      }
    }

    ConformanceOptions.Builder options(InetSocketAddress address) {
      if (port < 1 || port > 65535) {
        throw new CommandLine.ParameterException(new CommandLine(new ConformanceCli()), "--port: " + port + " (expected: 1 to 65535)");
      }
      ConformanceOptions.Builder b = ConformanceOptions.builder(address).dialect(dialect())
          .frameGap(Duration.ofMillis(frameGap)).quietPeriod(Duration.ofMillis(quietPeriod));
      if (replyTimeout != null) {
        b.replyTimeout(Duration.ofMillis(replyTimeout));
      }
      if (silence != null) {
        b.silence(Duration.ofMillis(silence));
      }
      b.security(SecurityArguments.security(tls, caFile, tlsInsecure, accountsFile));
      return b;
    }

    LaunchedServer start() throws IOException {
      if (port < 1 || port > 65535) {
        throw new CommandLine.ParameterException(new CommandLine(new ConformanceCli()), "--port: " + port + " (expected: 1 to 65535)");
      }
      dialect();
      if (launch == null) {
        return io.github.obrol.conformance.launch.ServerLauncher.running(new InetSocketAddress(host, port)).launch();
      }
      return launcher().launch();
    }

    /** The launcher of {@code --launch}. */
    ExternalCommandLauncher launcher() {
      return ExternalCommandLauncher.builder(List.of(launch.trim().split("\\s+"))).build();
    }
  }

  @CommandLine.Mixin
  Target target = new Target();

  @Option(names = "--include", paramLabel = "GLOB", split = ",", description = "rule IDs to run (globs, e.g. CL-*,GEN-NAME-?). Default: all")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", split = ",", description = "rule IDs to leave out (globs)")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--strict", description = "SHOULD rules count: a SHOULD not met fails the run")
  boolean strict;

  @Option(names = "--disruptive", description = "also run the checks that disturb other users of the server:"
      + " the GEN-LIMIT-5 flood, GEN-LIMIT-3 (takes every free connection slot), maxline-sized broadcasts (GEN-LINE-1),"
      + " request bursts (MD-EVENT-2). Implied by --launch, which owns the server")
  boolean disruptive;

  @Option(names = "--fresh-server", description = "with --launch: start a fresh server for every rule, so that no"
      + " check sees what an earlier one left behind (slower)")
  boolean freshServer;

  @Option(names = "--mixed", description = "the server serves both dialects on one port (enables GEN-DIALECT-1/2)")
  boolean mixed;

  @Option(names = "--seed", description = "seed of the stateful scenarios (default: random, printed)")
  Long seed;

  @Option(names = "--stateful-runs", description = "random scenarios to run (0: none). Default: ${DEFAULT-VALUE}", defaultValue = "5")
  int statefulRuns;

  @Option(names = "--stateful-steps", description = "steps per scenario. Default: ${DEFAULT-VALUE}", defaultValue = "25")
  int statefulSteps;

  @Option(names = "--max-line", description = "the server's maximum line length (a modern greeting's maxline wins). Default: ${DEFAULT-VALUE}",
      defaultValue = "4096")
  int maxLine;

  @Option(names = "--login-timeout", paramLabel = "MS", description = "the server's login timeout, to check GEN-LIMIT-1")
  Long loginTimeout;

  @Option(names = "--max-connections", description = "the server's connection limit, to check GEN-LIMIT-3")
  int maxConnections;

  @Option(names = "--max-wait", paramLabel = "MS", description = "longest a check may wait for a server timer. Default: ${DEFAULT-VALUE}",
      defaultValue = "10000")
  long maxWait;

  @Option(names = "--flood-bytes", description = "bytes the slow-consumer check may queue (0: skip it). Default: ${DEFAULT-VALUE}",
      defaultValue = "67108864")
  long floodBytes;

  @Option(names = "--report-dir", paramLabel = "DIR", description = "write report.json, junit.xml, report.html and transcripts here")
  Path reportDir;

  @Option(names = {"-q", "--quiet"}, description = "no progress lines")
  boolean quiet;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests and embedding). */
  public static int execute(String... args) {
    return execute(null, null, args);
  }

  /** Runs the command line with its output and errors written to {@code out} and {@code err} (null: the console). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ConformanceCli());
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println(ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return EXIT_USAGE;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String selectionError = selectionError(target.dialect(), include, exclude);
    if (selectionError != null) {
      err.println(selectionError);
      return EXIT_USAGE;
    }
    if (freshServer && target.launch == null) {
      err.println("--fresh-server: needs --launch (the suite must be able to start the server)");
      return EXIT_USAGE;
    }
    ConformanceOptions options;
    LaunchedServer server;
    try {
      server = target.start();
    } catch (IOException e) {
      err.println("could not start or reach the server: " + e.getMessage());
      return EXIT_UNREACHABLE;
    }
    try {
      try {
        ConformanceOptions.Builder b = target.options(server.address())
            .mixedDialects(mixed).strict(strict).statefulRuns(statefulRuns).statefulSteps(statefulSteps)
            .maxLineLength(maxLine).maxConnections(maxConnections).maxWait(Duration.ofMillis(maxWait))
            .floodBytes(floodBytes).disruptive(disruptive || server.ownsServer());
        if (freshServer) {
          b.freshServer(target.launcher());
        }
        include.forEach(b::include);
        exclude.forEach(b::exclude);
        if (seed != null) {
          b.seed(seed);
        }
        if (loginTimeout != null) {
          b.loginTimeout(Duration.ofMillis(loginTimeout));
        }
        options = b.build();
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return EXIT_USAGE;
      }
      ConformanceReport report;
      try {
        // First a look at what the target answers, so that another protocol on that port (HTTP, SSH...) is one
        // clear line and exit 3, not a run of misleading failures. The probe logs nobody in.
        TargetProbe.check(options.address(), options.dialect(), "obrolprobe", options.connectTimeout(),
            options.security());
        report = ConformanceSuite.run(options, quiet ? new ConformanceListener() {} : progress(out));
        if (server.ownsServer() && selected(options, "GEN-LEAVE-2")) {
          report = withShutdownCheck(report, options, server, quiet ? null : out);
        }
      } catch (ServerUnreachableException e) {
        err.println(e.getMessage());
        return EXIT_UNREACHABLE;
      } catch (RuntimeException e) {
        err.println("the suite broke (this is a bug of the suite, not of the server): " + e);
        e.printStackTrace(err);
        return EXIT_BROKEN;
      }
      report.serverOutput(server.output());
      out.println();
      out.print(console(report));
      if (reportDir != null) {
        try {
          report.writeTo(reportDir);
          out.println("report: " + reportDir.resolve("report.html").toAbsolutePath());
        } catch (IOException e) {
          err.println("could not write the report to " + reportDir + ": " + e.getMessage());
          return EXIT_BROKEN;
        }
      }
      out.flush();
      return exitCode(report);
    } finally {
      server.close();
    }
  }

  /**
   * The exit code of a finished run: {@value #EXIT_FAIL} if a rule that counts failed, else
   * {@value #EXIT_BROKEN} if a check broke, else {@value #EXIT_INCONCLUSIVE} if a rule that counts could not be
   * checked, else {@value #EXIT_PASS}. MUST rules count; SHOULD rules count with {@code --strict}.
   */
  public static int exitCode(ConformanceReport report) {
    return report.outcome().exitCode();
  }

  /** A rule that counts and failed (a SHOULD rule with NON_STRICT fails only a strict run); not a suite ERROR. */
  private static boolean failsRule(CheckResult r, boolean strict) {
    return r.failsRun(strict) && r.verdict() != Verdict.ERROR;
  }

  /** A rule that counts and could not be checked. */
  private static boolean unchecked(CheckResult r, boolean strict) {
    return r.leavesRunUndecided(strict);
  }

  /**
   * The console summary: totals, then every result that is not PASS with its whole message (expected and
   * actual, or the reason), then one RESULT line that names the exit code.
   */
  static String console(ConformanceReport report) {
    StringBuilder b = new StringBuilder();
    b.append("Obrol conformance: ").append(report.target()).append(", ").append(report.dialect()).append(" dialect, ")
        .append(report.results().size()).append(" rules, ").append(report.duration().toMillis()).append(" ms\n");
    b.append(report.calibration()).append('\n');
    b.append(report.counts()).append('\n');
    for (CheckResult r : report.results()) {
      if (r.verdict() == Verdict.PASS) {
        continue;
      }
      b.append(r.summaryLine()).append('\n');
      if (r.verdict() != Verdict.SKIPPED) {
        // The first line is in the summary line; the rest holds "actual:" (or a trace), shown up to 12 lines.
        List<String> lines = r.message().lines().skip(1).collect(Collectors.toList());
        lines.stream().limit(12).forEach(l -> b.append("           ").append(l.strip()).append('\n'));
        if (lines.size() > 12) {
          b.append("           ... (").append(lines.size() - 12).append(" more lines in the report)\n");
        }
      }
    }
    List<String> broke = ids(report, r -> r.verdict() == Verdict.ERROR);
    List<String> inconclusive = ids(report, r -> unchecked(r, report.strict()));
    switch (exitCode(report)) {
      case EXIT_FAIL:
        b.append("RESULT: FAIL (exit 1): rules failed: ").append(ids(report, r -> failsRule(r, report.strict())));
        if (!broke.isEmpty()) {
          b.append("; the suite also broke on ").append(broke);
        }
        if (!inconclusive.isEmpty()) {
          b.append("; not checked (INCONCLUSIVE): ").append(inconclusive);
        }
        break;
      case EXIT_BROKEN:
        b.append("RESULT: SUITE ERROR (exit 4): no rule failed, but the suite broke on ").append(broke)
            .append(" (a bug of the suite; the stack traces are in the report)");
        if (!inconclusive.isEmpty()) {
          b.append("; not checked (INCONCLUSIVE): ").append(inconclusive);
        }
        break;
      case EXIT_INCONCLUSIVE:
        b.append("RESULT: INCOMPLETE (exit 5): no rule failed, but MUST rules could not be checked: ").append(inconclusive);
        break;
      default:
        b.append("RESULT: PASS (exit 0): every MUST rule").append(report.strict() ? " and SHOULD rule" : "")
            .append(" that was run was met");
    }
    return b.append('\n').toString();
  }

  private static List<String> ids(ConformanceReport report, java.util.function.Predicate<CheckResult> which) {
    return report.results().stream().filter(which).map(CheckResult::ruleId).collect(Collectors.toList());
  }

  /**
   * Why {@code include}/{@code exclude} are unusable for {@code dialect} (a glob that matches no rule, or no rule
   * left), or null if they are fine.
   */
  static String selectionError(Dialect dialect, List<String> include, List<String> exclude) {
    List<String> ids = new ArrayList<>();
    ConformanceSuite.rules(dialect).forEach(r -> ids.add(r.id()));
    ids.add(StatefulCheck.ID);
    for (String option : List.of("--include", "--exclude")) {
      for (String glob : option.equals("--include") ? include : exclude) {
        Pattern p = SuiteRunner.glob(glob.trim());
        if (ids.stream().noneMatch(id -> p.matcher(id).matches())) {
          return option + " " + glob + ": matches no rule of the " + dialect.name().toLowerCase(Locale.ROOT)
              + " dialect (list them with: obrol-conformance rules --dialect " + dialect.name().toLowerCase(Locale.ROOT) + ")";
        }
      }
    }
    boolean any = ids.stream().anyMatch(id -> selected(id, include, exclude));
    return any ? null : "--include " + include + " --exclude " + exclude + ": no rule is left to check";
  }

  private static boolean selected(String id, List<String> include, List<String> exclude) {
    boolean in = include.isEmpty() || include.stream().anyMatch(g -> SuiteRunner.glob(g.trim()).matcher(id).matches());
    return in && exclude.stream().noneMatch(g -> SuiteRunner.glob(g.trim()).matcher(id).matches());
  }

  private static boolean selected(ConformanceOptions options, String id) {
    return selected(id, options.include(), options.exclude());
  }

  /**
   * GEN-LEAVE-2 for a server this run owns: shuts it down during the check (so it runs last) and puts the
   * result in place of the rule's "needs a launcher" skip.
   */
  private static ConformanceReport withShutdownCheck(ConformanceReport report, ConformanceOptions options,
      LaunchedServer server, PrintWriter progress) throws ServerUnreachableException {
    CheckResult shutdown = ConformanceSession.open(options.toBuilder().statefulRuns(0).build())
        .checkShutdown(server::close);
    List<CheckResult> results = new ArrayList<>();
    boolean replaced = false;
    for (CheckResult r : report.results()) {
      if (r.ruleId().equals(shutdown.ruleId())) {
        results.add(shutdown);
        replaced = true;
      } else {
        results.add(r);
      }
    }
    if (!replaced) {
      results.add(shutdown);
    }
    if (progress != null) {
      progress.printf("[shutdown] %s%n", shutdown.summaryLine());
      progress.flush();
    }
    return new ConformanceReport(report.target(), report.dialect(), report.calibration(), report.seed(), report.strict(),
        report.startedAt(), report.duration().plus(shutdown.duration()), results);
  }

  private static ConformanceListener progress(PrintWriter out) {
    return new ConformanceListener() {
      @Override
      public void started(int checks, String calibration) {
        out.println("checking " + checks + " rules; " + calibration);
        out.flush();
      }

      @Override
      public void checkFinished(int index, int total, CheckResult result) {
        out.printf("[%2d/%d] %s%n", index, total, result.summaryLine());
        out.flush();
      }
    };
  }

  /** {@code replay FILE}: runs a scenario file written by a failed stateful check again. */
  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Runs a scenario file (from a failed STATEFUL check) again and reports the first step the server gets wrong.")
  static final class Replay implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the scenario file")
    Path file;

    @CommandLine.Mixin
    Target target = new Target();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String text;
      List<ScenarioStep> steps;
      try {
        text = scenarioPart(Files.readString(file, StandardCharsets.UTF_8));
        steps = StatefulCheck.ScenarioFile.parse(text);
        if (steps.isEmpty()) {
          throw new IllegalArgumentException("it holds no scenario steps");
        }
      } catch (IOException | IllegalArgumentException e) {
        err.println("could not read the scenario " + file + ": " + e.getMessage());
        return EXIT_USAGE;
      }
      boolean dialectGiven = spec.commandLine().getParseResult().hasMatchedOption("--dialect");
      if (!dialectGiven) {
        StatefulCheck.ScenarioFile.dialect(text).ifPresent(d -> target.dialect = d.name());
      }
      try (LaunchedServer server = target.start()) {
        ConformanceOptions options = target.options(server.address()).statefulRuns(0).build();
        RunContext run = new SuiteRunner(options, new ConformanceListener() {}).prepare();
        StatefulCheck.Replay r = StatefulCheck.replay(run, steps);
        out.println(r.transcript());
        if (r.inconclusive().isPresent()) {
          out.println("INCONCLUSIVE: could not be checked: " + r.inconclusive().get());
          return EXIT_INCONCLUSIVE;
        }
        if (r.failure().isPresent()) {
          out.println("FAIL\n  expected: " + r.failure().get().expected() + "\n    actual: " + r.failure().get().actual());
          return EXIT_FAIL;
        }
        out.println("PASS: the server behaved as the model predicts for all " + steps.size() + " steps");
        return EXIT_PASS;
      } catch (ServerUnreachableException e) {
        err.println(e.getMessage());
        return EXIT_UNREACHABLE;
      } catch (IOException e) {
        err.println("could not start or reach the server: " + e.getMessage());
        return EXIT_UNREACHABLE;
      } catch (RuntimeException e) {
        err.println("the replay broke (a bug of the suite, or a precondition the server did not meet): " + e);
        e.printStackTrace(err);
        return EXIT_BROKEN;
      }
    }

    /**
     * The scenario inside {@code text}: a scenario file as is, or the scenario block of a STATEFUL transcript as
     * the report writes it ({@code transcripts/STATEFUL.txt}: rule, verdict and message lines, then the scenario
     * file from its {@code # obrol conformance scenario} line, then {@code # wire transcript ...} and the bytes).
     */
    static String scenarioPart(String text) {
      int start = text.indexOf(SCENARIO_START);
      if (start < 0) {
        return text;
      }
      int end = text.indexOf(WIRE_TRANSCRIPT, start);
      return end < 0 ? text.substring(start) : text.substring(start, end);
    }
  }

  private static final String SCENARIO_START = "# obrol conformance scenario";
  private static final String WIRE_TRANSCRIPT = "# wire transcript";

  /** {@code rules}: lists the rules and how the suite checks each. */
  @Command(name = "rules", mixinStandardHelpOptions = true, description = "Lists the rules the suite reports on.")
  static final class Rules implements Callable<Integer> {
    @Option(names = "--dialect", defaultValue = "modern", description = "classic or modern. Default: ${DEFAULT-VALUE}")
    String dialect;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Dialect d;
      try {
        d = Dialect.valueOf(dialect.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("--dialect: " + dialect + " (expected: classic or modern)");
        return EXIT_USAGE;
      }
      for (Rule r : ConformanceSuite.rules(d)) {
        spec.commandLine().getOut().println(r);
      }
      return EXIT_PASS;
    }
  }

  /** {@code --version}: the artifact version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"obrol-conformance " + artifactVersion() + ""};
    }
  }

  /** This tool's artifact version, e.g. {@code 0.1.0-SNAPSHOT}; {@code "unknown"} if the resource is missing. */
  static String artifactVersion() {
    java.util.Properties properties = new java.util.Properties();
    try (java.io.InputStream in = ConformanceCli.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (java.io.IOException e) {
      // Only --version reads it; "unknown" says what happened.
    }
    return properties.getProperty("version", "unknown");
  }
}
