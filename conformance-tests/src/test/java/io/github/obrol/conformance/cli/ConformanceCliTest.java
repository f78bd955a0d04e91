package io.github.obrol.conformance.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.launch.PortProbe;
import io.github.obrol.conformance.mutants.MutantServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and report files. */
class ConformanceCliTest {

  @Test
  @DisplayName("bad arguments exit with 2")
  void badArguments() {
    assertEquals(ConformanceCli.EXIT_USAGE, ConformanceCli.execute("--dialect", "klingon", "--port", "1"));
    assertEquals(ConformanceCli.EXIT_USAGE, ConformanceCli.execute("--no-such-option"));
    assertEquals(ConformanceCli.EXIT_USAGE, ConformanceCli.execute("--port", "70000"));
  }

  @Test
  @DisplayName("a port nobody listens on exits with 3")
  @Timeout(30)
  void unreachable() throws Exception {
    int port = PortProbe.freePort();
    assertEquals(ConformanceCli.EXIT_UNREACHABLE, ConformanceCli.execute("--port", String.valueOf(port), "-q"));
  }

  @Test
  @DisplayName("a conforming server exits with 0 and gets report.json, junit.xml, report.html")
  @Timeout(120)
  void passWritesReports(@TempDir Path dir) throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.NONE)) {
      int code = ConformanceCli.execute("--host", "127.0.0.1", "--port", String.valueOf(server.address().getPort()),
          "--dialect", "modern", "--report-dir", dir.toString(), "--seed", "3", "--stateful-runs", "2",
          "--flood-bytes", String.valueOf(8 << 20), "--exclude", "GEN-NAME-3");
      assertEquals(ConformanceCli.EXIT_PASS, code);
      String json = Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8);
      List<?> rules = (List<?>) JSON.std.mapFrom(json).get("rules");
      Map<?, ?> login = rules.stream().map(r -> (Map<?, ?>) r)
          .filter(r -> "MD-LOGIN-1".equals(r.get("id"))).findFirst().orElseThrow();
      assertEquals("PASS", login.get("verdict"), json);
      assertTrue(rules.stream().noneMatch(r -> "GEN-NAME-3".equals(((Map<?, ?>) r).get("id"))), "excluded rule reported");
      assertTrue(Files.readString(dir.resolve("junit.xml")).contains("<testcase"));
      assertTrue(Files.readString(dir.resolve("report.html")).contains("MD-LOGIN-1"));
      assertTrue(Files.exists(dir.resolve("transcripts").resolve("MD-LOGIN-1.txt")));
    }
  }

  @Test
  @DisplayName("a MUST failure exits with 1, and the failed STATEFUL scenario replays")
  @Timeout(120)
  void failureExitsWithOne(@TempDir Path dir) throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.DROP_ONE_RECIPIENT)) {
      String port = String.valueOf(server.address().getPort());
      int code = ConformanceCli.execute("--port", port, "--dialect", "classic", "--frame-gap", "0",
          "--quiet-period", "50", "--include", "GEN-DELIVER-*,STATEFUL", "--seed", "5", "--stateful-steps", "30",
          "--report-dir", dir.toString(), "-q");
      assertEquals(ConformanceCli.EXIT_FAIL, code);
      String transcript = Files.readString(dir.resolve("transcripts").resolve("STATEFUL.txt"));
      String scenario = transcript.substring(transcript.indexOf("# obrol conformance scenario"),
          transcript.indexOf("# wire transcript"));
      Path file = dir.resolve("scenario.txt");
      Files.writeString(file, scenario);
      assertEquals(ConformanceCli.EXIT_FAIL, ConformanceCli.execute("replay", file.toString(), "--port", port,
          "--frame-gap", "0", "--quiet-period", "50"));
    }
  }
}
