package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.RuleLevel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** junit.xml as a CI tool reads it: parsed by the JDK's DOM parser, never by string search. */
class ReportWriterJunitTest {

  @Test
  @DisplayName("junit.xml: counts, one testcase per rule, failure text with markup and a control byte kept readable")
  void junitXmlParses() throws Exception {
    String hostile = "expected: <OK & \"done\">\n  actual: \u0007bell";
    ConformanceReport report = new ConformanceReport("127.0.0.1:1", "modern", "calibration", 1, false, Instant.EPOCH,
        Duration.ofMillis(1500), List.of(
            new CheckResult("A-1", RuleLevel.MUST, "rule A", Verdict.PASS, Duration.ofMillis(5), "", ""),
            new CheckResult("B-2", RuleLevel.MUST, "rule B", Verdict.FAIL, Duration.ofMillis(250), hostile, "C: \"x\"\n"),
            new CheckResult("C-3", RuleLevel.SHOULD, "rule C", Verdict.SKIPPED, Duration.ZERO, "not checked", "")));
    byte[] xml = ReportWriter.junit(report).getBytes(StandardCharsets.UTF_8);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    Element suite = doc.getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    assertEquals("obrol-conformance-modern", suite.getAttribute("name"));
    assertEquals("3", suite.getAttribute("tests"));
    assertEquals("1", suite.getAttribute("failures"));
    assertEquals("0", suite.getAttribute("errors"));
    assertEquals("1", suite.getAttribute("skipped"));
    assertEquals("1.500", suite.getAttribute("time"));
    NodeList cases = suite.getElementsByTagName("testcase");
    assertEquals(3, cases.getLength());
    assertEquals("B-2 (MUST)", ((Element) cases.item(1)).getAttribute("name"));
    assertEquals("0.250", ((Element) cases.item(1)).getAttribute("time"));
    Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
    assertEquals("expected: <OK & \"done\">", failure.getAttribute("message"));
    assertEquals("expected: <OK & \"done\">\n  actual: \\x07bell\n\ntranscript:\nC: \"x\"\n", failure.getTextContent());
    Element skipped = (Element) ((Element) cases.item(2)).getElementsByTagName("skipped").item(0);
    assertEquals("not checked", skipped.getAttribute("message"));
    assertEquals(0, ((Element) cases.item(0)).getChildNodes().getLength());
    NodeList properties = suite.getElementsByTagName("property");
    assertEquals("target", ((Element) properties.item(0)).getAttribute("name"));
    assertEquals("127.0.0.1:1", ((Element) properties.item(0)).getAttribute("value"));
  }
}
