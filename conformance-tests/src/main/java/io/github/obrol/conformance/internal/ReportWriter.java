package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a report as {@code report.json} (one entry per rule: id, level, verdict, duration, message,
 * transcript file), {@code junit.xml} (one test case per rule, for CI tools), a self-contained
 * {@code report.html}, and {@code transcripts/<ID>.txt}.
 */
public final class ReportWriter {
  private ReportWriter() {}

  public static void write(ConformanceReport report, Path dir) throws IOException {
    Files.createDirectories(dir.resolve("transcripts"));
    for (CheckResult r : report.results()) {
      if (!r.transcript().isEmpty()) {
        Files.writeString(dir.resolve(transcriptFile(r)), transcriptText(r), StandardCharsets.UTF_8);
      }
    }
    if (!report.serverOutput().isEmpty()) {
      Files.writeString(dir.resolve("server-output.txt"), report.serverOutput(), StandardCharsets.UTF_8);
    }
    Files.writeString(dir.resolve("report.json"), json(report), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("junit.xml"), junit(report), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.html"), html(report), StandardCharsets.UTF_8);
  }

  /** The transcript's path relative to the report directory. */
  public static String transcriptFile(CheckResult r) {
    return "transcripts/" + r.ruleId() + ".txt";
  }

  private static String transcriptText(CheckResult r) {
    return r.ruleId() + " (" + r.level() + "): " + r.ruleText() + "\nverdict: " + r.verdict() + "\n"
        + (r.message().isEmpty() ? "" : r.message() + "\n") + "\n" + r.transcript();
  }

  static String json(ConformanceReport report) {
    StringBuilder b = new StringBuilder("{\n");
    b.append("  \"target\": ").append(q(report.target())).append(",\n");
    b.append("  \"dialect\": ").append(q(report.dialect())).append(",\n");
    b.append("  \"startedAt\": ").append(q(report.startedAt().toString())).append(",\n");
    b.append("  \"durationMillis\": ").append(report.duration().toMillis()).append(",\n");
    b.append("  \"calibration\": ").append(q(report.calibration())).append(",\n");
    b.append("  \"seed\": ").append(report.seed()).append(",\n");
    b.append("  \"strict\": ").append(report.strict()).append(",\n");
    b.append("  \"passed\": ").append(report.passed()).append(",\n");
    b.append("  \"counts\": {");
    String sep = "";
    for (var e : report.counts().entrySet()) {
      b.append(sep).append(q(e.getKey().name())).append(": ").append(e.getValue());
      sep = ", ";
    }
    b.append("},\n  \"rules\": [\n");
    for (int i = 0; i < report.results().size(); i++) {
      CheckResult r = report.results().get(i);
      b.append("    {\"id\": ").append(q(r.ruleId()))
          .append(", \"level\": ").append(q(r.level().name()))
          .append(", \"verdict\": ").append(q(r.verdict().name()))
          .append(", \"durationMillis\": ").append(r.duration().toMillis())
          .append(", \"rule\": ").append(q(r.ruleText()))
          .append(", \"message\": ").append(q(r.message()))
          .append(", \"transcript\": ").append(r.transcript().isEmpty() ? "null" : q(transcriptFile(r)))
          .append('}').append(i + 1 < report.results().size() ? "," : "").append('\n');
    }
    return b.append("  ]\n}\n").toString();
  }

  static String junit(ConformanceReport report) {
    var counts = report.counts();
    int failures = (int) report.results().stream()
        .filter(r -> r.verdict() == Verdict.FAIL || (r.verdict() == Verdict.NON_STRICT && report.strict())).count();
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append("<testsuite name=\"obrol-conformance-").append(x(report.dialect())).append("\" tests=\"")
        .append(report.results().size()).append("\" failures=\"").append(failures).append("\" errors=\"")
        .append(counts.get(Verdict.ERROR)).append("\" skipped=\"").append(counts.get(Verdict.SKIPPED))
        .append("\" time=\"").append(seconds(report.duration().toMillis())).append("\" timestamp=\"")
        .append(x(report.startedAt().toString())).append("\">\n");
    b.append("  <properties><property name=\"target\" value=\"").append(x(report.target()))
        .append("\"/><property name=\"calibration\" value=\"").append(x(report.calibration()))
        .append("\"/><property name=\"seed\" value=\"").append(report.seed()).append("\"/></properties>\n");
    for (CheckResult r : report.results()) {
      b.append("  <testcase classname=\"obrol.").append(x(report.dialect())).append("\" name=\"").append(x(r.ruleId()))
          .append(" (").append(r.level()).append(")\" time=\"").append(seconds(r.duration().toMillis())).append("\">");
      String text = x(r.message() + (r.transcript().isEmpty() ? "" : "\n\ntranscript:\n" + r.transcript()));
      switch (r.verdict()) {
        case FAIL:
          b.append("\n    <failure message=\"").append(x(firstLine(r.message()))).append("\">").append(text).append("</failure>\n  ");
          break;
        case NON_STRICT:
          if (report.strict()) {
            b.append("\n    <failure message=\"").append(x(firstLine(r.message()))).append("\">").append(text).append("</failure>\n  ");
          } else {
            b.append("\n    <system-out>NON_STRICT: ").append(text).append("</system-out>\n  ");
          }
          break;
        case ERROR:
          b.append("\n    <error message=\"").append(x(firstLine(r.message()))).append("\">").append(text).append("</error>\n  ");
          break;
        case SKIPPED:
          b.append("\n    <skipped message=\"").append(x(firstLine(r.message()))).append("\"/>\n  ");
          break;
        default:
          break;
      }
      b.append("</testcase>\n");
    }
    return b.append("</testsuite>\n").toString();
  }

  static String html(ConformanceReport report) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Obrol conformance: ")
        .append(h(report.target())).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
        .append("td,th{border-bottom:1px solid #ddd;padding:.35em .6em;text-align:left;vertical-align:top}")
        .append(".PASS{color:#0a7d28}.FAIL,.ERROR{color:#b00020;font-weight:bold}.NON_STRICT{color:#a66300}")
        .append(".SKIPPED{color:#777}pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:12px}")
        .append("details summary{cursor:pointer}.rule{color:#555;font-size:90%}\n</style></head><body>\n");
    b.append("<h1>Obrol conformance report</h1>\n<p><b>").append(h(report.target())).append("</b>, ")
        .append(h(report.dialect())).append(" dialect, started ").append(h(report.startedAt().toString())).append(", ")
        .append(report.duration().toMillis()).append(" ms. <b class=\"").append(report.passed() ? "PASS" : "FAIL")
        .append("\">").append(report.passed() ? "PASSED" : "FAILED").append("</b></p>\n<p>")
        .append(h(report.calibration())).append("</p>\n<p>");
    report.counts().forEach((v, n) -> b.append("<span class=\"").append(v).append("\">").append(v).append(": ").append(n)
        .append("</span> &nbsp; "));
    b.append("</p>\n<table><tr><th>Rule</th><th>Level</th><th>Verdict</th><th>ms</th><th>Details</th></tr>\n");
    for (CheckResult r : report.results()) {
      b.append("<tr id=\"").append(h(r.ruleId())).append("\"><td><b>").append(h(r.ruleId())).append("</b></td><td>")
          .append(r.level()).append("</td><td class=\"").append(r.verdict()).append("\">").append(r.verdict())
          .append("</td><td>").append(r.duration().toMillis()).append("</td><td><div class=\"rule\">")
          .append(h(r.ruleText())).append("</div>");
      if (!r.message().isEmpty()) {
        b.append("<pre>").append(h(r.message())).append("</pre>");
      }
      if (!r.transcript().isEmpty()) {
        b.append("<details").append(r.verdict() == Verdict.FAIL ? " open" : "").append("><summary>transcript</summary><pre>")
            .append(h(r.transcript())).append("</pre></details>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</table>\n");
    if (!report.serverOutput().isEmpty()) {
      b.append("<h2>Server output</h2><pre>").append(h(report.serverOutput())).append("</pre>\n");
    }
    return b.append("</body></html>\n").toString();
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  /** A JSON string literal. */
  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  /** XML text or attribute, without characters XML 1.0 forbids. */
  static String x(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        default:
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append("\\x").append(String.format("%02x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.toString();
  }

  private static String h(String s) {
    return x(s);
  }
}
