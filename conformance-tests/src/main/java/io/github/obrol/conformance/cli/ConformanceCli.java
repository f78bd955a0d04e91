package io.github.obrol.conformance.cli;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceListener;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.ServerUnreachableException;
import io.github.obrol.conformance.internal.RunContext;
import io.github.obrol.conformance.internal.ScenarioStep;
import io.github.obrol.conformance.internal.StatefulCheck;
import io.github.obrol.conformance.internal.SuiteRunner;
import io.github.obrol.conformance.launch.ExternalCommandLauncher;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Rule;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar obrol-conformance.jar --host H --port P --dialect classic|modern}: checks a chat server
 * against PROTOCOL.md and writes a report.
 *
 * <p>Exit codes: {@value #EXIT_PASS} no MUST rule failed (with {@code --strict}: no SHOULD rule either);
 * {@value #EXIT_FAIL} a rule failed; {@value #EXIT_USAGE} bad arguments; {@value #EXIT_UNREACHABLE} could not
 * connect to the server (or start it with {@code --launch}).
 */
@Command(name = "obrol-conformance", mixinStandardHelpOptions = true, versionProvider = ConformanceCli.Version.class,
    sortOptions = false, subcommands = {ConformanceCli.Replay.class, ConformanceCli.Rules.class},
    description = "Checks a chat server against the obrol/1 protocol (PROTOCOL.md) over TCP.",
    footer = {"", "Exit codes: 0 no MUST rule failed; 1 a rule failed; 2 bad arguments; 3 could not connect."})
public final class ConformanceCli implements Callable<Integer> {
  public static final int EXIT_PASS = 0;
  public static final int EXIT_FAIL = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNREACHABLE = 3;

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
      return ExternalCommandLauncher.builder(List.of(launch.trim().split("\\s+"))).build().launch();
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
    CommandLine cli = new CommandLine(new ConformanceCli());
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
            .floodBytes(floodBytes);
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
        report = ConformanceSuite.run(options, quiet ? new ConformanceListener() {} : progress(out));
      } catch (ServerUnreachableException e) {
        err.println(e.getMessage());
        return EXIT_UNREACHABLE;
      }
      report.serverOutput(server.output());
      out.println();
      out.print(report.summary());
      if (reportDir != null) {
        try {
          report.writeTo(reportDir);
          out.println("report: " + reportDir.resolve("report.html").toAbsolutePath());
        } catch (IOException e) {
          err.println("could not write the report to " + reportDir + ": " + e.getMessage());
          return EXIT_FAIL;
        }
      }
      out.flush();
      return report.passed() ? EXIT_PASS : EXIT_FAIL;
    } finally {
      server.close();
    }
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
        text = Files.readString(file, StandardCharsets.UTF_8);
        steps = StatefulCheck.ScenarioFile.parse(text);
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
      }
    }
  }

  /** {@code rules}: lists the rules and how the suite checks each. */
  @Command(name = "rules", mixinStandardHelpOptions = true, description = "Lists the rules the suite reports on.")
  static final class Rules implements Callable<Integer> {
    @Option(names = "--dialect", defaultValue = "modern", description = "classic or modern. Default: ${DEFAULT-VALUE}")
    String dialect;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Dialect d = Dialect.valueOf(dialect.toUpperCase(Locale.ROOT));
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
