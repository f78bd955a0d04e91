package io.github.obrol.conformance.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.cli.ConformanceCli;
import io.github.obrol.protocol.Dialect;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The external command launcher: start per run, readiness by port probe, output captured, stopped after. */
class ExternalCommandLauncherTest {
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  @DisplayName("starts a server command on a free port, captures its output, and stops it")
  @Timeout(60)
  void startsAndStops() throws Exception {
    ExternalCommandLauncher launcher = ExternalCommandLauncher.builder(List.of(JAVA, "-cp",
        System.getProperty("java.class.path"), "io.github.obrol.conformance.mutants.MutantServerMain", "--port", "{port}"))
        .build();
    LaunchedServer server = launcher.launch();
    try {
      assertTrue(server.ownsServer());
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
          .dialect(Dialect.MODERN).include("MD-LOGIN-*", "MD-PING-1").statefulRuns(0).build());
      assertTrue(report.passed(), report::summary);
      assertTrue(outputContains(server, "listening"), server.output());
    } finally {
      server.close();
    }
    assertThrows(IOException.class, () -> new Socket(server.address().getAddress(), server.address().getPort()).close(),
        "the server still accepts connections after close()");
  }

  @Test
  @DisplayName("a command that exits before its port opens is reported with its output")
  @Timeout(60)
  void commandThatDies() {
    ExternalCommandLauncher launcher = ExternalCommandLauncher.builder(List.of(JAVA, "-version"))
        .readinessTimeout(Duration.ofSeconds(20)).build();
    IOException e = assertThrows(IOException.class, launcher::launch);
    assertTrue(e.getMessage().contains("exited before it accepted connections"), e.getMessage());
  }

  /**
   * Whether the server's captured output contains {@code text} within 10 s. The output is copied by a thread of its
   * own, so a line printed just before the port opened may not be captured yet when {@code launch()} returns (CI
   * saw this once); polling it is the only way to wait for it.
   */
  private static boolean outputContains(LaunchedServer server, String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!server.output().contains(text)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return true;
  }

  /** {@link PortInUseServerMain} as a server command, logging its launches to {@code log}. */
  private static List<String> portInUseCommand(Path log, String... then) {
    List<String> argv = new java.util.ArrayList<>(List.of(JAVA, "-cp", System.getProperty("java.class.path"),
        PortInUseServerMain.class.getName(), log.toString(), "{port}"));
    argv.addAll(List.of(then));
    return argv;
  }

  @Test
  @DisplayName("a command that finds its port in use on its first launch is started again on another port, and serves")
  @Timeout(60)
  void portInUseIsRetried(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("launches.txt");
    LaunchedServer server = ExternalCommandLauncher.builder(portInUseCommand(log, "1")).build().launch();
    try {
      List<String> launches = Files.readAllLines(log);
      assertEquals(2, launches.size(), launches::toString);
      assertEquals("launch 2 on port " + server.address().getPort(), launches.get(1));
      assertTrue(outputContains(server, "launch 2: listening on " + server.address().getPort()), server.output());
    } finally {
      server.close();
    }
  }

  @Test
  @DisplayName("a command that finds its port in use every time fails after 3 launches, with the output of each")
  @Timeout(60)
  void portInUseEveryTime(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("launches.txt");
    ExternalCommandLauncher launcher = ExternalCommandLauncher.builder(portInUseCommand(log, "99")).build();
    IOException e = assertThrows(IOException.class, launcher::launch);
    List<String> launches = Files.readAllLines(log);
    assertEquals(3, launches.size(), launches::toString);
    for (String launch : launches) {
      // "launch K on port P" in the log; the command printed the same and the system's EADDRINUSE text after it.
      assertTrue(e.getMessage().contains(launch + ": java.net.BindException: Address already in use"), e.getMessage());
    }
  }

  @Test
  @DisplayName("a fixed port that is in use is not replaced by another: one launch, its output in the error")
  @Timeout(60)
  void fixedPortInUseIsNotRetried(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("launches.txt");
    int fixed = PortProbe.freePort();
    ExternalCommandLauncher launcher = ExternalCommandLauncher.builder(portInUseCommand(log, "99")).port(fixed).build();
    IOException e = assertThrows(IOException.class, launcher::launch);
    assertEquals(List.of("launch 1 on port " + fixed), Files.readAllLines(log));
    assertTrue(e.getMessage().contains("launch 1 on port " + fixed + ": java.net.BindException"), e.getMessage());
  }

  @Test
  @DisplayName("a command that exits for another reason is launched once, its output in the error")
  @Timeout(60)
  void otherFailureIsNotRetried(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("launches.txt");
    ExternalCommandLauncher launcher = ExternalCommandLauncher.builder(
        portInUseCommand(log, "fail", "cannot read the key file")).build();
    IOException e = assertThrows(IOException.class, launcher::launch);
    assertEquals(1, Files.readAllLines(log).size(), Files.readString(log));
    assertTrue(e.getMessage().contains("exited before it accepted connections"), e.getMessage());
    assertTrue(e.getMessage().contains("launch 1: cannot read the key file"), e.getMessage());
  }

  @Test
  @DisplayName("the CLI with --launch runs the reference server jar, passes the modern suite (exit 0), and checks GEN-LEAVE-2 and the disruptive checks")
  @Timeout(120)
  void cliLaunchesTheReferenceServer(@TempDir Path dir) throws IOException {
    Path jar = Path.of("..", "chat-server-api", "target", "obrol-server.jar");
    assumeTrue(Files.isRegularFile(jar), "the reference server jar is not built: " + jar);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ConformanceCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "--launch", JAVA + " -jar " + jar.toAbsolutePath() + " --port {port}",
        "--dialect", "modern", "--seed", "9", "--stateful-runs", "2", "--flood-bytes", String.valueOf(16 << 20),
        "--report-dir", dir.toString(), "-q");
    assertEquals(ConformanceCli.EXIT_PASS, code, () -> cliOutput(err, out, dir));
    assertTrue(Files.exists(dir.resolve("server-output.txt")) || Files.exists(dir.resolve("report.json")));
    assertFalse(Files.notExists(dir.resolve("junit.xml")));
    String json = Files.readString(dir.resolve("report.json"));
    // --launch owns the server: GEN-LEAVE-2 is checked by shutting it down (SIGTERM), not skipped, and so are
    // the checks that would disturb other users of a shared server.
    List<?> rules = (List<?>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(json).get("rules");
    for (String id : List.of("GEN-LEAVE-2", "GEN-LIMIT-5", "GEN-LINE-1")) {
      List<Object> verdicts = rules.stream().map(r -> (java.util.Map<?, ?>) r).filter(r -> id.equals(r.get("id")))
          .map(r -> r.get("verdict")).collect(java.util.stream.Collectors.toList());
      assertEquals(List.of("PASS"), verdicts, id + " not PASS:\n" + json);
    }
  }

  /** What the CLI printed (it runs with -q, so errors are the interesting part) and the server's output, if written. */
  static String cliOutput(StringWriter err, StringWriter out, Path reportDir) {
    Path serverOutput = reportDir.resolve("server-output.txt");
    String server;
    try {
      server = Files.isRegularFile(serverOutput) ? Files.readString(serverOutput) : "(no " + serverOutput + ")";
    } catch (IOException e) {
      server = "(could not read " + serverOutput + ": " + e + ")";
    }
    return "stderr:\n" + err + "\nstdout:\n" + out + "\nserver-output.txt:\n" + server;
  }
}
