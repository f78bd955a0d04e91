package io.github.obrol.benchmarks.load.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of obrol-bench results (XChart), from the run maps that {@code --json} writes: throughput
 * against receivers, one line per target; and latency percentile curves, one line per target and
 * receiver count. Each point is the median of the runs of its configuration, as in the tables.
 */
public final class Charts {
  /** The percentiles every result carries, with the x position of each on a "1 / (1 - p)" log axis. */
  private static final Map<String, Double> PERCENTILES = new LinkedHashMap<>();

  static {
    PERCENTILES.put("p50", 2.0);
    PERCENTILES.put("p90", 10.0);
    PERCENTILES.put("p99", 100.0);
    PERCENTILES.put("p99.9", 1000.0);
    PERCENTILES.put("max", 10000.0);
  }

  private Charts() {}

  /**
   * Writes {@code <prefix>-throughput.png} and/or {@code <prefix>-latency.png} into {@code dir} for the
   * runs that have those figures; returns the files written.
   */
  public static List<Path> write(List<Map<String, Object>> runs, Path dir, String prefix) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    XYChart throughput = throughput(runs, prefix);
    if (throughput != null) {
      written.add(save(throughput, dir.resolve(prefix + "-throughput.png")));
    }
    XYChart latency = latency(runs, prefix);
    if (latency != null) {
      written.add(save(latency, dir.resolve(prefix + "-latency.png")));
    }
    return written;
  }

  private static Path save(XYChart chart, Path file) throws IOException {
    String name = file.toString();
    BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - ".png".length()), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  static XYChart throughput(List<Map<String, Object>> runs, String title) {
    // target -> receivers -> deliveries/s of each run
    Map<String, TreeMap<Integer, List<Double>>> series = new LinkedHashMap<>();
    for (Map<String, Object> r : runs) {
      if (!"throughput".equals(r.get("mode")) || !(r.get("deliveriesPerSecond") instanceof Number)
          || number(r, "stalledReceivers") > 0) {
        continue;
      }
      series.computeIfAbsent(label(r), k -> new TreeMap<>())
          .computeIfAbsent((int) number(r, "receivers"), k -> new ArrayList<>())
          .add(number(r, "deliveriesPerSecond") / 1e6);
    }
    if (series.isEmpty()) {
      return null;
    }
    XYChart chart = new XYChartBuilder().width(800).height(450).title(title + ": deliveries per second against receivers")
        .xAxisTitle("receivers (log scale)").yAxisTitle("million deliveries/s (median of runs)").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    series.forEach((target, points) -> {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      points.forEach((receivers, values) -> {
        x.add((double) receivers);
        y.add(median(values));
      });
      XYSeries s = chart.addSeries(target, x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
    });
    return chart;
  }

  static XYChart latency(List<Map<String, Object>> runs, String title) {
    // "target N=receivers" -> percentile -> values of each run
    Map<String, Map<String, List<Double>>> series = new LinkedHashMap<>();
    String kind = null;
    for (Map<String, Object> r : runs) {
      Object perRecipient = r.get("latencyPerRecipientMs");
      Object toLast = r.get("latencyToLastRecipientMs");
      Object figures = perRecipient instanceof Map ? perRecipient : toLast;
      if (!"latency".equals(r.get("mode")) || !(figures instanceof Map) || number(r, "stalledReceivers") > 0) {
        continue;
      }
      kind = perRecipient instanceof Map ? "per recipient" : "to the last recipient";
      Map<?, ?> p = (Map<?, ?>) figures;
      Map<String, List<Double>> byPercentile =
          series.computeIfAbsent(label(r) + " N=" + (int) number(r, "receivers"), k -> new LinkedHashMap<>());
      for (String key : PERCENTILES.keySet()) {
        if (p.get(key) instanceof Number) {
          byPercentile.computeIfAbsent(key, k -> new ArrayList<>()).add(((Number) p.get(key)).doubleValue());
        }
      }
    }
    series.values().removeIf(Map::isEmpty);
    if (series.isEmpty()) {
      return null;
    }
    XYChart chart = new XYChartBuilder().width(800).height(450).title(title + ": latency " + kind + " by percentile")
        .xAxisTitle("percentile: 2 = p50, 10 = p90, 100 = p99, 1000 = p99.9, 10000 = max (log scale of 1 / (1 - p))")
        .yAxisTitle("milliseconds (median of runs, log scale)").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    series.forEach((name, byPercentile) -> {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      byPercentile.forEach((key, values) -> {
        x.add(PERCENTILES.get(key));
        y.add(Math.max(median(values), 0.001));
      });
      XYSeries s = chart.addSeries(name, x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
    });
    return chart;
  }

  private static String label(Map<String, Object> r) {
    return r.get("target") + " (" + r.get("wire") + ")";
  }

  private static double number(Map<String, Object> r, String key) {
    Object v = r.get(key);
    return v instanceof Number ? ((Number) v).doubleValue() : 0;
  }

  private static double median(List<Double> values) {
    return Report.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
