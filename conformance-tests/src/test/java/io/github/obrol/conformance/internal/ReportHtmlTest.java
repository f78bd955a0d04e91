package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Rule;
import io.github.obrol.protocol.RuleCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report (issue 11): it fits a 1280 px window, lists failures first, filters by verdict and links
 * every rule to its line of the bundled PROTOCOL.md. The layout is measured in a real browser (headless
 * Chromium, Debian package {@code chromium}); that test skips where no Chromium is installed.
 */
class ReportHtmlTest {
  /** A token no browser can break at a space: a maxline-sized line as a transcript shows it. */
  private static final String LONG_TOKEN = "L".repeat(4096);

  /** A report like a failing run's: every rule of the catalog, every verdict, long unbreakable lines. */
  static ConformanceReport sampleReport() {
    List<CheckResult> results = new ArrayList<>();
    Verdict[] cycle = {Verdict.PASS, Verdict.SKIPPED, Verdict.PASS, Verdict.FAIL, Verdict.NON_STRICT, Verdict.ERROR};
    int i = 0;
    for (Rule rule : RuleCatalog.load().rules()) {
      Verdict v = cycle[i++ % cycle.length];
      String message = v == Verdict.PASS ? ""
          : "expected: \"\\r" + LONG_TOKEN.substring(0, 300) + " says hello \\n\"\n  actual: \"\\rno such user\\n\"";
      String transcript = v == Verdict.PASS && i % 4 != 0 ? ""
          : "+0.001 a> \"SEND " + LONG_TOKEN + "\\n\"\n+0.002 b< \"MSG a " + LONG_TOKEN + "\\n\"";
      results.add(new CheckResult(rule.id(), rule.level(), rule.text(), v, Duration.ofMillis(i), message, transcript));
    }
    results.add(new CheckResult("STATEFUL", io.github.obrol.protocol.RuleLevel.MUST, StatefulCheck.TEXT, Verdict.PASS,
        Duration.ofMillis(5), "", ""));
    ConformanceReport report = new ConformanceReport("127.0.0.1:9009", "classic", "round trip 0.2 ms; " + LONG_TOKEN,
        7, false, Instant.EPOCH, Duration.ofMillis(1234), results);
    report.serverOutput("server started\n" + LONG_TOKEN + "\n");
    return report;
  }

  @Test
  @DisplayName("failures come first (FAIL, ERROR, NON_STRICT, SKIPPED, PASS), each group in specification order")
  void failuresFirst() {
    String html = ReportWriter.html(sampleReport());
    Matcher m = Pattern.compile("data-verdict=\"([A-Z_]+)\"").matcher(html);
    List<String> order = new ArrayList<>();
    while (m.find()) {
      order.add(m.group(1));
    }
    List<String> expected = List.of("FAIL", "ERROR", "NON_STRICT", "SKIPPED", "PASS");
    List<String> groups = new ArrayList<>();
    order.forEach(v -> {
      if (groups.isEmpty() || !groups.get(groups.size() - 1).equals(v)) {
        groups.add(v);
      }
    });
    assertEquals(expected, groups, "verdict groups in row order");
    assertTrue(html.indexOf("id=\"GEN-NAME-4\"") < html.indexOf("id=\"GEN-LINE-2\""), "FAIL rows not in spec order");
  }

  @Test
  @DisplayName("every rule ID links to its anchor in protocol.html, which quotes the rule line of PROTOCOL.md")
  void ruleLinks(@TempDir Path dir) throws IOException {
    ReportWriter.write(sampleReport(), dir);
    String html = Files.readString(dir.resolve("report.html"));
    String protocol = Files.readString(dir.resolve("protocol.html"));
    assertTrue(html.contains("<a href=\"protocol.html#CL-JOIN-1\">CL-JOIN-1</a>"), "no link for CL-JOIN-1");
    assertTrue(protocol.contains("<p class=\"rule\" id=\"CL-JOIN-1\">- **CL-JOIN-1** (MUST): A join is announced as"),
        "protocol.html has no anchored CL-JOIN-1 line");
    Matcher links = Pattern.compile("href=\"protocol.html#([A-Z0-9-]+)\"").matcher(html);
    int count = 0;
    while (links.find()) {
      count++;
      assertTrue(protocol.contains("id=\"" + links.group(1) + "\""), "dangling link to " + links.group(1));
    }
    assertEquals(2 * RuleCatalog.load().rules().size(), count, "two links (ID and text) per rule");
  }

  @Test
  @DisplayName("in headless Chromium at 1280x900 no element is wider than the viewport, and the filter hides rows")
  @Timeout(120)
  void fitsA1280PixelWindow(@TempDir Path dir) throws Exception {
    Optional<Path> chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
        .map(Path::of).filter(Files::isExecutable).findFirst();
    assumeTrue(chromium.isPresent(), "headless Chromium is not installed (apt-get install chromium); layout not measured");
    ReportWriter.write(sampleReport(), dir);
    String report = Files.readString(dir.resolve("report.html"));
    // The probe runs after the report's own script: it measures, then exercises the filter like a user.
    String probe = "<script>\n"
        + "var w = window.innerWidth, wide = [];\n"
        + "document.querySelectorAll('body *').forEach(function (e) {\n"
        + "  var r = e.getBoundingClientRect();\n"
        + "  if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) wide.push(e.tagName + (e.id ? '#' + e.id : ''));\n"
        + "});\n"
        + "var pass = document.querySelector('#filter input[value=PASS]');\n"
        + "var visible = -1, visiblePass = -1;\n"
        + "if (pass) {\n"
        + "  pass.checked = false; pass.dispatchEvent(new Event('change', {bubbles: true}));\n"
        + "  visible = 0; visiblePass = 0;\n"
        + "  document.querySelectorAll('#results tr[data-verdict]').forEach(function (row) {\n"
        + "    if (row.offsetParent !== null) { visible++; if (row.getAttribute('data-verdict') === 'PASS') visiblePass++; }\n"
        + "  });\n"
        + "}\n"
        + "var out = document.createElement('div'); out.id = 'measure';\n"
        + "out.textContent = 'MEASURE innerWidth=' + w + ' scrollWidth=' + document.documentElement.scrollWidth\n"
        + "  + ' wide=' + wide.length + ' [' + wide.slice(0, 5).join(',') + '] visible=' + visible\n"
        + "  + ' visiblePass=' + visiblePass + ' END';\n"
        + "document.body.appendChild(out);\n"
        + "</script>\n";
    Path measured = dir.resolve("measured.html");
    Files.writeString(measured, report.replace("</body>", probe + "</body>"), StandardCharsets.UTF_8);
    Path profile = Files.createDirectories(dir.resolve("profile"));
    ProcessBuilder pb = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900", "--dump-dom",
        measured.toUri().toString());
    pb.redirectError(dir.resolve("chromium.log").toFile());
    Process p = pb.start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
    Matcher m = Pattern.compile("MEASURE innerWidth=(\\d+) scrollWidth=(\\d+) wide=(\\d+) \\[([^\\]]*)\\] visible=(-?\\d+)"
        + " visiblePass=(-?\\d+) END").matcher(dom);
    assertTrue(m.find(), "no measurement in the DOM; chromium log:\n" + Files.readString(dir.resolve("chromium.log")));
    int innerWidth = Integer.parseInt(m.group(1));
    assertEquals(1280, innerWidth, "the window is not 1280 px wide");
    assertTrue(Integer.parseInt(m.group(2)) <= innerWidth, "the page scrolls sideways: " + m.group());
    assertEquals(0, Integer.parseInt(m.group(3)), "elements wider than the viewport: " + m.group(4));
    long notPass = sampleReport().results().stream().filter(r -> r.verdict() != Verdict.PASS).count();
    assertEquals(notPass, Long.parseLong(m.group(5)), "rows shown after unticking PASS");
    assertEquals(0, Integer.parseInt(m.group(6)), "PASS rows still shown after unticking PASS");
  }
}
