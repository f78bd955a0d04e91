package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.RuleCatalog;
import io.github.obrol.protocol.RuleLevel;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.jr.ob.JSON;
import com.google.common.html.HtmlEscapers;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a report as {@code report.json} (one entry per rule: id, level, verdict, duration, message,
 * transcript file), {@code junit.xml} (one test case per rule, for CI tools), a self-contained
 * {@code report.html} (failures first, filter by verdict, rule IDs linked to {@code protocol.html}, the bundled
 * PROTOCOL.md with an anchor per rule), and {@code transcripts/<ID>.txt}.
 */
public final class ReportWriter {
  /** The judgement core's verdict for a check that could not be carried out, by name. */
  static final String INCONCLUSIVE = "INCONCLUSIVE";

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
    Files.writeString(dir.resolve("protocol.html"), protocolHtml(), StandardCharsets.UTF_8);
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
    doc.put("addresses", report.addresses());
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

  /**
   * The JUnit XML report, written with the JDK's {@link XMLStreamWriter} (it escapes markup; characters XML 1.0
   * forbids are first written as {@code \\xNN} by {@link #xmlSafe}).
   */
  static String junit(ConformanceReport report) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      junit(report, w);
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing junit.xml to memory failed", e);
    }
    return out.toString();
  }

  private static void junit(ConformanceReport report, XMLStreamWriter w) throws XMLStreamException {
    long failures = report.results().stream()
        .filter(r -> r.verdict() == Verdict.FAIL || (r.verdict() == Verdict.NON_STRICT && report.strict())).count();
    long errors = report.results().stream().filter(r -> r.verdict() == Verdict.ERROR
        || (r.level() == RuleLevel.MUST && INCONCLUSIVE.equals(r.verdict().name()))).count();
    long skipped = report.results().stream().filter(r -> r.verdict() == Verdict.SKIPPED
        || (r.level() != RuleLevel.MUST && INCONCLUSIVE.equals(r.verdict().name()))).count();
    w.writeStartDocument("UTF-8", "1.0");
    w.writeCharacters("\n");
    w.writeStartElement("testsuite");
    w.writeAttribute("name", xmlSafe("obrol-conformance-" + report.dialect()));
    w.writeAttribute("tests", Integer.toString(report.results().size()));
    w.writeAttribute("failures", Long.toString(failures));
    w.writeAttribute("errors", Long.toString(errors));
    w.writeAttribute("skipped", Long.toString(skipped));
    w.writeAttribute("time", seconds(report.duration().toMillis()));
    w.writeAttribute("timestamp", xmlSafe(report.startedAt().toString()));
    w.writeCharacters("\n  ");
    w.writeStartElement("properties");
    property(w, "target", report.target());
    property(w, "calibration", report.calibration());
    property(w, "seed", Long.toString(report.seed()));
    w.writeEndElement();
    for (CheckResult r : report.results()) {
      w.writeCharacters("\n  ");
      w.writeStartElement("testcase");
      w.writeAttribute("classname", xmlSafe("obrol." + report.dialect()));
      w.writeAttribute("name", xmlSafe(r.ruleId() + " (" + r.level() + ")"));
      w.writeAttribute("time", seconds(r.duration().toMillis()));
      String text = r.message() + (r.transcript().isEmpty() ? "" : "\n\ntranscript:\n" + r.transcript());
      String message = firstLine(r.message());
      switch (r.verdict()) {
        case FAIL:
          outcome(w, "failure", message, text);
          break;
        case NON_STRICT:
          if (report.strict()) {
            outcome(w, "failure", message, text);
          } else {
            w.writeCharacters("\n    ");
            w.writeStartElement("system-out");
            w.writeCharacters(xmlSafe("NON_STRICT: " + text));
            w.writeEndElement();
            w.writeCharacters("\n  ");
          }
          break;
        case ERROR:
          outcome(w, "error", message, text);
          break;
        case SKIPPED:
          w.writeCharacters("\n    ");
          w.writeEmptyElement("skipped");
          w.writeAttribute("message", xmlSafe(message));
          w.writeCharacters("\n  ");
          break;
        default:
          if (INCONCLUSIVE.equals(r.verdict().name())) {
            // Not checked: red for a MUST rule (the run is no pass), skipped otherwise.
            outcome(w, r.level() == RuleLevel.MUST ? "error" : "skipped", "INCONCLUSIVE: " + message, text);
          }
          break;
      }
      w.writeEndElement();
    }
    w.writeCharacters("\n");
    w.writeEndElement();
    w.writeCharacters("\n");
    w.writeEndDocument();
  }

  private static void property(XMLStreamWriter w, String name, String value) throws XMLStreamException {
    w.writeEmptyElement("property");
    w.writeAttribute("name", name);
    w.writeAttribute("value", xmlSafe(value));
  }

  /** A {@code <failure>}, {@code <error>} or {@code <skipped>} element with a message and the full text. */
  private static void outcome(XMLStreamWriter w, String tag, String message, String text) throws XMLStreamException {
    w.writeCharacters("\n    ");
    w.writeStartElement(tag);
    w.writeAttribute("message", xmlSafe(message));
    w.writeCharacters(xmlSafe(text));
    w.writeEndElement();
    w.writeCharacters("\n  ");
  }

  /**
   * The order of verdicts in the HTML report: what needs attention first. INCONCLUSIVE (the judgement core's
   * verdict for a check that could not be carried out) is named, not referenced, so this writer does not
   * depend on when it was added.
   */
  static final List<String> VERDICT_ORDER = List.of("FAIL", "ERROR", INCONCLUSIVE, "NON_STRICT", "SKIPPED", "PASS");

  /** The results in report order: failures first, then by {@link #VERDICT_ORDER}, each group in spec order. */
  static List<CheckResult> failuresFirst(List<CheckResult> results) {
    List<CheckResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingInt(r -> {
      int i = VERDICT_ORDER.indexOf(r.verdict().name());
      return i < 0 ? VERDICT_ORDER.size() : i;
    }));
    return sorted;
  }

  /**
   * A self-contained page that fits a 1280 px window: a fixed table layout whose cells wrap (long tokens
   * break anywhere, preformatted text wraps), failures first, a filter by verdict (a few lines of script;
   * without script every row shows), and every rule ID linked to its line in {@code protocol.html}.
   */
  static String html(ConformanceReport report) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Obrol conformance: ")
        .append(h(report.target())).append("</title>\n<style>\n")
        .append("*{box-sizing:border-box}html,body{max-width:100%;overflow-wrap:anywhere}")
        .append("body{font-family:system-ui,sans-serif;margin:1em 1.5em;color:#222}")
        .append("table{border-collapse:collapse;width:100%;table-layout:fixed}")
        .append("col.id{width:10em}col.level{width:5.5em}col.verdict{width:8.5em}col.ms{width:4.5em}")
        .append("td,th{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top;")
        .append("overflow-wrap:anywhere;word-break:break-word;min-width:0}")
        .append(".PASS{color:#0a7d28}.FAIL,.ERROR{color:#b00020;font-weight:bold}.INCONCLUSIVE{color:#6a1b9a;font-weight:bold}")
        .append(".NON_STRICT{color:#a66300}.SKIPPED{color:#777}")
        .append("pre{background:#f6f6f6;padding:.5em;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere;")
        .append("word-break:break-all;max-width:100%;margin:.3em 0}")
        .append("details summary{cursor:pointer}.rule{color:#555;font-size:90%}.rule a{color:inherit}")
        .append("#filter label{margin-right:1em;white-space:nowrap}tr.hidden{display:none}\n</style></head><body>\n");
    b.append("<h1>Obrol conformance report</h1>\n<p><b>").append(h(report.target())).append("</b>, ")
        .append(h(report.dialect())).append(" dialect, started ").append(h(report.startedAt().toString())).append(", ")
        .append(report.duration().toMillis()).append(" ms")
        .append(report.addresses().size() > 1 ? " (" + report.addresses().size()
            + " addresses of one chat: each check's users spread over them round-robin)" : "")
        .append(". <b class=\"").append(report.passed() ? "PASS" : "FAIL")
        .append("\">").append(report.passed() ? "PASSED" : "FAILED").append("</b></p>\n<p>")
        .append(h(report.calibration())).append("</p>\n");
    // The filter: one checkbox per verdict that occurs, with its count.
    b.append("<form id=\"filter\"><b>Show:</b> ");
    Map<String, Integer> counts = new LinkedHashMap<>();
    failuresFirst(report.results()).forEach(r -> counts.merge(r.verdict().name(), 1, Integer::sum));
    counts.forEach((v, n) -> b.append("<label class=\"").append(v).append("\"><input type=\"checkbox\" value=\"")
        .append(v).append("\" checked> ").append(v).append(" (").append(n).append(")</label>"));
    b.append("</form>\n");
    b.append("<table id=\"results\"><colgroup><col class=\"id\"><col class=\"level\"><col class=\"verdict\">")
        .append("<col class=\"ms\"><col></colgroup>\n")
        .append("<tr><th>Rule</th><th>Level</th><th>Verdict</th><th>ms</th><th>Rule text and details</th></tr>\n");
    for (CheckResult r : failuresFirst(report.results())) {
      String anchor = "protocol.html#" + h(r.ruleId());
      b.append("<tr id=\"").append(h(r.ruleId())).append("\" data-verdict=\"").append(r.verdict()).append("\"><td><b>");
      if (r.ruleId().equals(StatefulCheck.ID)) {
        b.append(h(r.ruleId()));
      } else {
        b.append("<a href=\"").append(anchor).append("\">").append(h(r.ruleId())).append("</a>");
      }
      b.append("</b></td><td>").append(r.level()).append("</td><td class=\"").append(r.verdict()).append("\">")
          .append(r.verdict()).append("</td><td>").append(r.duration().toMillis()).append("</td><td><div class=\"rule\">");
      if (r.ruleId().equals(StatefulCheck.ID)) {
        b.append(h(r.ruleText()));
      } else {
        b.append("<a href=\"").append(anchor).append("\" title=\"the rule in PROTOCOL.md\">").append(h(r.ruleText()))
            .append("</a>");
      }
      b.append("</div>");
      if (!r.message().isEmpty()) {
        b.append("<pre>").append(h(r.message())).append("</pre>");
      }
      if (!r.transcript().isEmpty()) {
        boolean open = r.verdict() == Verdict.FAIL || INCONCLUSIVE.equals(r.verdict().name());
        b.append("<details").append(open ? " open" : "").append("><summary>transcript</summary><pre>")
            .append(h(r.transcript())).append("</pre></details>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</table>\n");
    if (!report.serverOutput().isEmpty()) {
      b.append("<h2>Server output</h2><pre>").append(h(report.serverOutput())).append("</pre>\n");
    }
    b.append("<script>\n")
        .append("document.getElementById('filter').addEventListener('change', function () {\n")
        .append("  var shown = {};\n")
        .append("  this.querySelectorAll('input').forEach(function (i) { shown[i.value] = i.checked; });\n")
        .append("  document.querySelectorAll('#results tr[data-verdict]').forEach(function (row) {\n")
        .append("    row.classList.toggle('hidden', !shown[row.getAttribute('data-verdict')]);\n")
        .append("  });\n});\n</script>\n");
    return b.append("</body></html>\n").toString();
  }

  /**
   * The bundled PROTOCOL.md as a plain page, every rule line anchored by its ID, so that the report's rule
   * links work offline and quote the specification the suite was built with.
   */
  static String protocolHtml() throws IOException {
    String spec;
    try (InputStream in = RuleCatalog.class.getResourceAsStream(RuleCatalog.RESOURCE)) {
      if (in == null) {
        throw new IOException("PROTOCOL.md is not on the class path (" + RuleCatalog.RESOURCE + ")");
      }
      spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Pattern ruleLine = Pattern.compile("^- \\*\\*([A-Z]+(?:-[A-Z0-9]+)+)\\*\\* \\(");
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>PROTOCOL.md</title>\n")
        .append("<style>body{font-family:system-ui,sans-serif;margin:1em 1.5em;max-width:100%;overflow-wrap:anywhere}")
        .append("pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font-size:13px}")
        .append("p.rule{margin:.2em 0;padding:.2em .4em}p.rule:target{background:#fff3b0}</style></head><body>\n")
        .append("<p><i>The specification these results were checked against (bundled with the suite).</i></p>\n<pre>");
    for (String line : spec.split("\n", -1)) {
      Matcher m = ruleLine.matcher(line);
      if (m.find()) {
        b.append("</pre><p class=\"rule\" id=\"").append(h(m.group(1))).append("\">").append(h(line)).append("</p><pre>");
      } else {
        b.append(h(line)).append('\n');
      }
    }
    return b.append("</pre></body></html>\n").toString();
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  /**
   * {@code s} with the control characters that XML 1.0 forbids written as {@code \\xNN}, so that a transcript's
   * bytes stay readable; the XML writer escapes the markup characters.
   */
  static String xmlSafe(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c < 0x20 && c != '\n' && c != '\t') {
        b.append("\\x").append(String.format("%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** HTML text or attribute, with the same treatment of control characters as {@link #xmlSafe}. */
  private static String h(String s) {
    return HtmlEscapers.htmlEscaper().escape(xmlSafe(s));
  }

}
