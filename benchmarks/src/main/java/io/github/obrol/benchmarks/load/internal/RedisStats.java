package io.github.obrol.benchmarks.load.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Redis server did, from {@code INFO commandstats}, {@code INFO stats} and {@code INFO cpu}: the calls of
 * each command, the bytes it read and wrote ({@code total_net_input_bytes}, {@code total_net_output_bytes}) and its
 * CPU time ({@code used_cpu_user + used_cpu_sys}). Two snapshots around a measurement give the work of that
 * interval ({@link #minus}); the {@code INFO} calls of the snapshots themselves are left out.
 *
 * @param calls calls per command (lower case, e.g. {@code xadd}), subcommands as Redis names them ({@code
 *     client|setname})
 */
public record RedisStats(Map<String, Long> calls, long netInputBytes, long netOutputBytes, double cpuSeconds) {
  public RedisStats {
    calls = Map.copyOf(calls);
  }

  /** Reads a snapshot from the Redis at {@code address} (plain TCP, no password). */
  public static RedisStats read(InetSocketAddress address) throws IOException {
    Map<String, String> stats = info(address, "stats");
    Map<String, String> cpu = info(address, "cpu");
    Map<String, String> commands = info(address, "commandstats");
    Map<String, Long> calls = new TreeMap<>();
    commands.forEach((k, v) -> {
      if (k.startsWith("cmdstat_")) {
        calls.put(k.substring("cmdstat_".length()), field(v, "calls"));
      }
    });
    return new RedisStats(calls, number(stats, "total_net_input_bytes"), number(stats, "total_net_output_bytes"),
        decimal(cpu, "used_cpu_user") + decimal(cpu, "used_cpu_sys"));
  }

  /** What happened between {@code before} and this snapshot; commands that were not called are left out. */
  public RedisStats minus(RedisStats before) {
    Map<String, Long> delta = new TreeMap<>();
    calls.forEach((k, v) -> {
      long d = v - before.calls.getOrDefault(k, 0L);
      if (d > 0) {
        delta.put(k, d);
      }
    });
    return new RedisStats(delta, netInputBytes - before.netInputBytes, netOutputBytes - before.netOutputBytes,
        cpuSeconds - before.cpuSeconds);
  }

  /** Calls of every command but {@code INFO} (the snapshots' own). */
  public long totalCalls() {
    return calls.entrySet().stream().filter(e -> !e.getKey().equals("info")).mapToLong(Map.Entry::getValue).sum();
  }

  /**
   * The figures of this interval per broadcast, for a run's JSON: commands and bytes per broadcast, the calls of each
   * command per broadcast, and Redis's CPU per broadcast; {@code broadcasts} is the number of broadcasts of the
   * interval, {@code seconds} its length.
   */
  public Map<String, Object> perBroadcast(long broadcasts, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    double b = Math.max(1, broadcasts);
    m.put("broadcasts", broadcasts);
    m.put("commands", totalCalls());
    m.put("commandsPerSecond", Math.round(totalCalls() / seconds));
    m.put("commandsPerBroadcast", LoadRun.round(totalCalls() / b, 3));
    m.put("netInputBytes", netInputBytes);
    m.put("netOutputBytes", netOutputBytes);
    m.put("bytesInPerBroadcast", LoadRun.round(netInputBytes / b, 1));
    m.put("bytesOutPerBroadcast", LoadRun.round(netOutputBytes / b, 1));
    m.put("cpuSeconds", LoadRun.round(cpuSeconds, 3));
    m.put("cpuMicrosPerBroadcast", LoadRun.round(cpuSeconds * 1e6 / b, 3));
    Map<String, Object> each = new LinkedHashMap<>();
    calls.forEach((k, v) -> {
      if (!k.equals("info")) {
        each.put(k, LoadRun.round(v / b, 4));
      }
    });
    m.put("callsPerBroadcast", each);
    return m;
  }

  /** The {@code key:value} lines of {@code INFO section}. */
  static Map<String, String> info(InetSocketAddress address, String section) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address, 5000);
      s.setSoTimeout(10_000);
      String command = "*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n";
      s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      String header = r.readLine(); // $<length> of a bulk string
      if (header == null || !header.startsWith("$")) {
        throw new IOException("INFO " + section + " at " + address + " was answered with " + header);
      }
      int length = Integer.parseInt(header.substring(1).trim());
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        int n = r.read(body, read, length - read);
        if (n < 0) {
          throw new IOException("INFO " + section + " at " + address + ": the reply ended early");
        }
        read += n;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : new String(body).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, colon), line.substring(colon + 1));
        }
      }
      return values;
    }
  }

  /** {@code name=value} of a {@code cmdstat_} line ({@code calls=12,usec=30,...}), 0 if absent. */
  static long field(String line, String name) {
    for (String part : line.split(",")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    return 0;
  }

  private static long number(Map<String, String> m, String key) {
    String v = m.get(key);
    return v == null ? 0 : Long.parseLong(v.trim());
  }

  private static double decimal(Map<String, String> m, String key) {
    String v = m.get(key);
    return v == null ? 0 : Double.parseDouble(v.trim());
  }
}
