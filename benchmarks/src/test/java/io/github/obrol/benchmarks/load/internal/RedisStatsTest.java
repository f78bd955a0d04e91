package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redis figures per broadcast: the INFO deltas and their division, and a read from a real redis-server. */
class RedisStatsTest {
  @Test
  @DisplayName("the delta of two snapshots, per broadcast; INFO and commands not called are left out")
  void deltaPerBroadcast() {
    RedisStats before = new RedisStats(Map.of("xadd", 100L, "info", 7L, "get", 5L), 1_000, 2_000, 1.0);
    RedisStats after = new RedisStats(Map.of("xadd", 300L, "xreadgroup", 50L, "info", 10L, "get", 5L), 41_000, 12_000, 1.5);
    RedisStats delta = after.minus(before);
    assertEquals(Map.of("xadd", 200L, "xreadgroup", 50L, "info", 3L), delta.calls());
    assertEquals(250, delta.totalCalls());
    Map<String, Object> m = delta.perBroadcast(200, 2.0);
    assertEquals(200L, m.get("broadcasts"));
    assertEquals(1.25, m.get("commandsPerBroadcast"));
    assertEquals(125L, m.get("commandsPerSecond"));
    assertEquals(200.0, m.get("bytesInPerBroadcast"));
    assertEquals(50.0, m.get("bytesOutPerBroadcast"));
    assertEquals(2500.0, m.get("cpuMicrosPerBroadcast"));
    assertEquals(Map.of("xadd", 1.0, "xreadgroup", 0.25), m.get("callsPerBroadcast"));
  }

  @Test
  @DisplayName("a cmdstat line's fields")
  void cmdstatFields() {
    String line = "calls=12,usec=30,usec_per_call=2.50,rejected_calls=0,failed_calls=1";
    assertEquals(12, RedisStats.field(line, "calls"));
    assertEquals(1, RedisStats.field(line, "failed_calls"));
    assertEquals(0, RedisStats.field(line, "missing"));
  }

  @Test
  @DisplayName("three PINGs and a SET against a real redis-server show up in the delta, with their bytes")
  @Timeout(60)
  void realRedis() throws Exception {
    assumeTrue(onPath("redis-server"), "redis-server is not installed (apt-get install redis-server)");
    try (ServerProcess redis = ServerProcess.redis("redis-server", 100, List.of(), Duration.ofSeconds(30))) {
      RedisStats before = RedisStats.read(redis.address());
      byte[] commands = ("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n"
          + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n").getBytes(StandardCharsets.US_ASCII);
      try (Socket s = new Socket()) {
        s.connect(redis.address(), 5000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(commands);
        out.flush();
        byte[] expected = "+PONG\r\n+PONG\r\n+PONG\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] got = s.getInputStream().readNBytes(expected.length);
        assertEquals(new String(expected, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
      }
      RedisStats delta = RedisStats.read(redis.address()).minus(before);
      assertEquals(3L, delta.calls().get("ping"), delta.toString());
      assertEquals(1L, delta.calls().get("set"), delta.toString());
      assertEquals(4, delta.totalCalls(), delta.toString());
      // Our commands' bytes at least (the INFO requests of the snapshots add theirs).
      assertTrue(delta.netInputBytes() >= commands.length, delta.toString());
    }
  }

  static boolean onPath(String executable) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }
}
