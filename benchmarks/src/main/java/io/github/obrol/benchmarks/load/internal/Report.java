package io.github.obrol.benchmarks.load.internal;

import com.google.common.base.Strings;
import com.google.common.math.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Summarises the runs of one invocation as a text table: one row per configuration and target, with the
 * median and the spread (minimum to maximum) of each figure over the runs, and for every target after the
 * first the ratio of the first target's median to its own. Where the {@code nullsink} target ran (a server that only
 * answers and counts: the generator's own ceiling), a last column gives each target's first figure as a share of
 * the null sink's in the same configuration.
 */
public final class Report {
  /** A figure to summarise: its column title and how to read it from a run's map (null: absent). */
  public record Figure(String title, Function<Map<String, Object>, Double> read, String format) {}

  private Report() {}

  /** The figures of a mode. */
  public static List<Figure> figures(String mode) {
    switch (mode) {
      case "throughput":
        return List.of(
            new Figure("deliveries/s", m -> num(m.get("deliveriesPerSecond")), "%,.0f"),
            new Figure("p99 to last ms", m -> nested(m, "latencyToLastRecipientMs", "p99"), "%.2f"),
            new Figure("server CPU us/msg", m -> num(m.get("serverCpuMicrosPerMessage")), "%.1f"),
            new Figure("server switches/msg", m -> sum(num(m.get("serverVoluntarySwitchesPerMessage")), num(m.get("serverInvoluntarySwitchesPerMessage"))), "%.2f"));
      case "latency":
        return List.of(
            new Figure("deliveries/s", m -> num(m.get("deliveriesPerSecond")), "%,.0f"),
            new Figure("p50 ms", m -> nested(m, "latencyPerRecipientMs", "p50"), "%.3f"),
            new Figure("p99 ms", m -> nested(m, "latencyPerRecipientMs", "p99"), "%.3f"),
            new Figure("p99.9 ms", m -> nested(m, "latencyPerRecipientMs", "p99.9"), "%.3f"),
            new Figure("max ms", m -> nested(m, "latencyPerRecipientMs", "max"), "%.2f"),
            new Figure("p99 to last ms", m -> nested(m, "latencyToLastRecipientMs", "p99"), "%.3f"),
            new Figure("server CPU us/msg", m -> num(m.get("serverCpuMicrosPerMessage")), "%.1f"));
      default:
        return List.of(
            new Figure("heap B/conn", m -> num(m.get("heapAfterGcPerConnectionBytes")), "%,.0f"),
            new Figure("redis used B/conn", m -> num(m.get("redisUsedMemoryPerConnectionBytes")), "%,.0f"),
            new Figure("RSS B/conn", m -> num(m.get("rssPerConnectionBytes")), "%,.0f"));
    }
  }

  /** The keys that make two runs the same configuration (besides the target). */
  private static final List<String> CONFIG =
      List.of("wire", "receivers", "senders", "payloadBytes", "inFlightPerSender", "targetDeliveriesPerSecond", "stalledReceivers", "connections");

  /** The table of {@code runs} (all of one mode). */
  public static String table(String mode, List<Map<String, Object>> runs) {
    List<Figure> figures = new ArrayList<>(figures(mode));
    if (runs.stream().anyMatch(r -> r.containsKey("redis"))) {
      // A cluster's Redis, over the measurement interval (INFO commandstats and INFO stats deltas).
      figures.add(new Figure("redis cmds/bcast", m -> nested(m, "redis", "commandsPerBroadcast"), "%.2f"));
      figures.add(new Figure("redis B/bcast in+out", m -> {
        Double in = nested(m, "redis", "bytesInPerBroadcast");
        Double out = nested(m, "redis", "bytesOutPerBroadcast");
        return in == null || out == null ? null : in + out;
      }, "%,.0f"));
    }
    Map<String, Map<String, List<Map<String, Object>>>> groups = new LinkedHashMap<>();
    for (Map<String, Object> run : runs) {
      StringBuilder key = new StringBuilder();
      for (String k : CONFIG) {
        if (run.containsKey(k) && !k.equals("wire")) {
          key.append(short_(k)).append('=').append(plain(run.get(k))).append(' ');
        }
      }
      groups.computeIfAbsent(key.toString().trim(), k -> new LinkedHashMap<>())
          .computeIfAbsent(run.get("target") + " (" + run.get("wire") + ")", k -> new ArrayList<>())
          .add(run);
    }
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("configuration", "target", "runs"));
    for (Figure f : figures) {
      header.add(f.title() + " median (min-max)");
    }
    header.add("first/this");
    boolean ceiling = runs.stream().anyMatch(r -> "nullsink".equals(r.get("target")));
    if (ceiling) {
      header.add("of nullsink");
    }
    rows.add(header.toArray(new String[0]));
    for (Map.Entry<String, Map<String, List<Map<String, Object>>>> g : groups.entrySet()) {
      Double firstMedian = null;
      Double sinkMedian = null;
      for (Map.Entry<String, List<Map<String, Object>>> t : g.getValue().entrySet()) {
        if (t.getKey().startsWith("nullsink (")) {
          double[] v = t.getValue().stream().map(figures.get(0).read()).filter(x -> x != null).mapToDouble(Double::doubleValue).sorted().toArray();
          sinkMedian = v.length == 0 ? null : median(v);
        }
      }
      for (Map.Entry<String, List<Map<String, Object>>> t : g.getValue().entrySet()) {
        List<String> row = new ArrayList<>(List.of(g.getKey(), t.getKey(), Integer.toString(t.getValue().size())));
        Object skipped = t.getValue().get(0).get("skipped");
        Double primary = null;
        for (int i = 0; i < figures.size(); i++) {
          Figure f = figures.get(i);
          double[] values = t.getValue().stream().map(f.read()).filter(v -> v != null).mapToDouble(Double::doubleValue).sorted().toArray();
          if (values.length == 0) {
            row.add(skipped != null && i == 0 ? "skipped: " + skipped : "-");
            continue;
          }
          double median = median(values);
          if (i == 0) {
            primary = median;
          }
          row.add(String.format(f.format(), median) + " (" + String.format(f.format(), values[0]) + "-" + String.format(f.format(), values[values.length - 1]) + ")");
        }
        if (firstMedian == null) {
          firstMedian = primary == null ? Double.NaN : primary;
          row.add("");
        } else {
          row.add(primary == null || firstMedian.isNaN() || primary == 0 ? "-" : String.format("%.2fx", firstMedian / primary));
        }
        if (ceiling) {
          row.add(primary == null || sinkMedian == null || sinkMedian == 0 ? "-" : String.format("%.0f%%", 100 * primary / sinkMedian));
        }
        rows.add(row.toArray(new String[0]));
      }
    }
    return format(rows);
  }

  private static String short_(String key) {
    switch (key) {
      case "receivers":
        return "N";
      case "senders":
        return "M";
      case "payloadBytes":
        return "payload";
      case "inFlightPerSender":
        return "inFlight";
      case "targetDeliveriesPerSecond":
        return "rate";
      case "stalledReceivers":
        return "stalled";
      case "connections":
        return "K";
      default:
        return key;
    }
  }

  /** A whole number without a decimal point (a rate of 100000.0 prints as 100000). */
  private static Object plain(Object value) {
    if (value instanceof Double && (Double) value == Math.rint((Double) value)) {
      return ((Double) value).longValue();
    }
    return value;
  }

  /** The median of {@code values} (of an even count: the mean of the middle two), by Guava's {@link Quantiles}. */
  static double median(double... values) {
    return Quantiles.median().compute(values);
  }

  private static String format(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < cols; i++) {
        b.append("| ").append(Strings.padEnd(rows.get(r)[i], width[i], ' ')).append(' ');
      }
      b.append("|\n");
      if (r == 0) {
        for (int i = 0; i < cols; i++) {
          b.append('|').append(Strings.repeat("-", width[i] + 2));
        }
        b.append("|\n");
      }
    }
    return b.toString();
  }

  private static Double num(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : null;
  }

  private static Double sum(Double a, Double b) {
    return a == null || b == null ? null : a + b;
  }

  private static Double nested(Map<String, Object> m, String key, String inner) {
    Object o = m.get(key);
    return o instanceof Map ? num(((Map<?, ?>) o).get(inner)) : null;
  }
}
