package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.Verdict;
import com.fasterxml.jackson.jr.ob.JSON;
import com.google.common.html.HtmlEscapers;
import com.google.common.xml.XmlEscapers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

  static String json(ConformanceReport report) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("target", report.target());
    doc.put("dialect", report.dialect());
    doc.put("startedAt", report.startedAt().toString());
    doc.put("durationMillis", report.duration().toMillis());
    doc.put("calibration", report.calibration());
    doc.put("seed", report.seed());
    doc.put("strict", report.strict());
    doc.put("passed", report.passed());
    Map<String, Object> counts = new LinkedHashMap<>();
    report.counts().forEach((verdict, n) -> counts.put(verdict.name(), n));
    doc.put("counts", counts);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (CheckResult r : report.results()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("id", r.ruleId());
      rule.put("level", r.level().name());
      rule.put("verdict", r.verdict().name());
      rule.put("durationMillis", r.duration().toMillis());
      rule.put("rule", r.ruleText());
      rule.put("message", r.message());
      rule.put("transcript", r.transcript().isEmpty() ? null : transcriptFile(r));
      rules.add(rule);
    }
    doc.put("rules", rules);
    return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES).asString(doc) + "\n";
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

  /**
   * XML text or attribute. Control characters that XML 1.0 forbids are first written as {@code \\xNN}
   * (a transcript's bytes stay readable), then Guava escapes the markup characters.
   */
  static String x(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c < 0x20 && c != '\n' && c != '\t') {
        b.append("\\x").append(String.format("%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return XmlEscapers.xmlAttributeEscaper().escape(b.toString());
  }

  /** HTML text or attribute, with the same treatment of control characters as {@link #x}. */
  private static String h(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c < 0x20 && c != '\n' && c != '\t') {
        b.append("\\x").append(String.format("%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return HtmlEscapers.htmlEscaper().escape(b.toString());
  }
}
