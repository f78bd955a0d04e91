package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Markdown table of obrol-bench, written out literally: the README's tables are pasted from it. */
class ReportTest {

  private static Map<String, Object> run(String target, double deliveriesPerSecond, double p99ToLast) {
    return Map.of("target", target, "wire", "modern", "receivers", 10, "senders", 1,
        "deliveriesPerSecond", deliveriesPerSecond, "latencyToLastRecipientMs", Map.of("p99", p99ToLast));
  }

  /** A run whose server's CPU and context switches were measured (voluntary + involuntary per message). */
  private static Map<String, Object> run(String target, double deliveriesPerSecond, double p99ToLast,
      double cpuMicrosPerMessage, double voluntary, double involuntary) {
    Map<String, Object> m = new java.util.HashMap<>(run(target, deliveriesPerSecond, p99ToLast));
    m.put("serverCpuMicrosPerMessage", cpuMicrosPerMessage);
    m.put("serverVoluntarySwitchesPerMessage", voluntary);
    m.put("serverInvoluntarySwitchesPerMessage", involuntary);
    return m;
  }

  @Test
  @DisplayName("one row per configuration and target: median (min-max) of the runs, first/this of the first figure")
  void throughputTable() {
    // a: two runs (an even count: the median is the mean of the middle two), server figures not measured ("-");
    // b: three runs given out of order, with the server's CPU and switches (voluntary + involuntary) per message.
    List<Map<String, Object>> runs = List.of(run("a", 300, 2.0), run("a", 100, 1.0),
        run("b", 50, 3.0, 30, 0.75, 0.25), run("b", 150, 5.0, 10, 0.25, 0.25), run("b", 100, 4.0, 20, 0.5, 0.25));
    assertEquals(
        "| configuration | target     | runs | deliveries/s median (min-max) | p99 to last ms median (min-max) | server CPU us/msg median (min-max) | server switches/msg median (min-max) | first/this |\n"
      + "|---------------|------------|------|-------------------------------|---------------------------------|------------------------------------|--------------------------------------|------------|\n"
      + "| N=10 M=1      | a (modern) | 2    | 200 (100-300)                 | 1.50 (1.00-2.00)                | -                                  | -                                    |            |\n"
      + "| N=10 M=1      | b (modern) | 3    | 100 (50-150)                  | 4.00 (3.00-5.00)                | 20.0 (10.0-30.0)                   | 0.75 (0.50-1.00)                     | 2.00x      |\n",
        Report.table("throughput", runs));
  }

  @Test
  @DisplayName("the median of an odd count is the middle value, of an even count the mean of the middle two")
  void median() {
    assertEquals(7.0, Report.median(9, 7, 1));
    assertEquals(2.5, Report.median(4, 1, 3, 2));
  }
}
