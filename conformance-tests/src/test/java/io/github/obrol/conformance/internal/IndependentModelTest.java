package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.RuleCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The suite predicts what a correct server sends from its own literal tables, never from chat-protocol's
 * codecs or constants: the tables agree with the text of PROTOCOL.md, the main sources use none of the
 * protocol module's encoders, decoders, framers or name constants, and the parser tolerates the variants
 * of section 5.6 without taking them for replies.
 */
class IndependentModelTest {

  private static String protocolText() throws IOException {
    try (InputStream in = RuleCatalog.class.getResourceAsStream(RuleCatalog.RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName("GEN-NAME-3: the suite's reserved words are the words PROTOCOL.md lists")
  void reservedWordsMatchTheSpecification() {
    String rule = RuleCatalog.load().get("GEN-NAME-3").text();
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("`([a-z]+)`").matcher(rule);
    while (m.find()) {
      words.add(m.group(1));
    }
    assertEquals(words, WireTables.RESERVED);
  }

  @Test
  @DisplayName("CL-ERROR-1: the suite's classic error texts are the table of PROTOCOL.md section 5.4")
  void classicTextsMatchTheSpecification() throws IOException {
    Map<String, String> table = new LinkedHashMap<>();
    Map<String, Boolean> detail = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| `([^`]+)` \\| (never|may) \\|$").matcher(protocolText());
    while (m.find()) {
      table.put(m.group(1), m.group(2));
      detail.put(m.group(1), m.group(3).equals("may"));
    }
    assertEquals(27, table.size(), table.toString());
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(table.get(code.name()), WireTables.classicText(code), code.name());
      assertEquals(detail.get(code.name()), WireTables.classicDetailAllowed(code), code.name());
    }
  }

  @Test
  @DisplayName("the suite's main sources use none of chat-protocol's codecs, framers or name constants")
  void noProductCodecsInTheSuite() throws IOException {
    Path main = Path.of("src", "main", "java");
    Pattern forbidden = Pattern.compile("\\b(ClassicServerMessageDecoder|ModernServerMessageDecoder|ClassicCommandDecoder"
        + "|ModernCommandDecoder|ClassicServerMessageEncoder|ModernServerMessageEncoder|ClassicCommandEncoder"
        + "|ModernCommandEncoder|LineFramer|ClassicFramer|Names\\.|classicText\\(\\)|classicDetailAllowed\\(\\))");
    List<String> hits;
    try (Stream<Path> files = Files.walk(main)) {
      hits = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream().filter(l -> forbidden.matcher(l).find()).map(l -> p + ": " + l.trim());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.toList());
    }
    assertEquals(List.of(), hits);
  }

  @Test
  @DisplayName("CL-VARIANT-1..3: variant frames are recognised for what they are; unknown ones are no reply")
  void variantsAreRecognised() {
    assertEquals(new Event.UserJoined("bob"), WireTables.classic("\rbob sudah terhubung dengan system "));
    assertEquals("?", ((Event.UserLeft) WireTables.classic("\rClient off")).name());
    assertEquals("bob", ((Event.UserLeft) WireTables.classic("\rClient (bob) off")).name());
    assertEquals("hi there", ((Event.Message) WireTables.classic("\rbob says hi there ")).text());
    assertEquals("hi", ((Event.Message) WireTables.classic("\rbob says hi")).text());
    assertEquals(ErrorCode.NAME_TAKEN, ((Reply.Error) WireTables.classic("\rusername sudah dipake")).code());
    assertNull(WireTables.classic("\rusername sudah dipake: x"), "NAME_TAKEN carries no detail (CL-ERROR-1)");
    assertEquals(ErrorCode.NO_SUCH_USER, ((Reply.Error) WireTables.classic("\rno such user: ghost")).code());
    assertNull(WireTables.classic("\rnama sudah dipake"));
    assertNull(WireTables.classic("\rPlease login"));
    assertNull(WireTables.classic("HTTP/1.1 400 Bad Request\r"));
    assertEquals(List.of("a", "b"), ((Reply.UserList) WireTables.modern("OK LIST 2 a b")).names());
    assertNull(WireTables.modern("OK LIST 3 a b"), "the count must match the names (MD-LIST-1)");
    assertEquals("hello  there", ((Event.Message) WireTables.modern("MSG alice hello  there")).text());
  }

  @Test
  @DisplayName("STATEFUL logs in only names with the run's prefix, so it never touches other users' names")
  void scenariosUseOnlyPrefixedNames() {
    for (Dialect dialect : Dialect.values()) {
      for (long seed = 0; seed < 200; seed++) {
        ScenarioGenerator g = new ScenarioGenerator(dialect, true, 4096);
        ScenarioModel model = new ScenarioModel(dialect, 4096);
        Random random = new Random(seed);
        for (int i = 0; i < 30; i++) {
          ScenarioStep step = g.next(model, random);
          String text = step.joined();
          model.apply(step, text.replace(ScenarioStep.PREFIX, "tx1-"));
          model.takeExpected();
          for (String frame : ScenarioModel.frames(text)) {
            String[] t = frame.split(" ");
            String login = dialect == Dialect.MODERN ? (t[0].equals("LOGIN") && t.length > 1 ? t[1] : null)
                : (t.length >= 3 && t[1].equals("says") && t[0].equals(t[2]) ? t[0] : null);
            assertTrue(login == null || login.startsWith(ScenarioStep.PREFIX), "seed " + seed + ": " + frame);
          }
        }
      }
    }
  }
}
