package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.testkit.PropertyRuns;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The name rules against an oracle written from PROTOCOL.md alone: a regular expression and the literal reserved words. */
class NameProperties {
  /** GEN-NAME-1, transcribed. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
  private final long seed = PropertyRuns.seed();

  private static boolean oracle(String name) {
    return SHAPE.matcher(name).matches() && !ProtocolGenerators.RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Candidate names: near-valid strings with some invalid characters, lengths around the limit, reserved words in mixed case. */
  private static Gen<String> candidates() {
    Gen<String> near = ProtocolGenerators.stringsOf("abcXYZ019_-. @äß\t/", 0, 34);
    Gen<String> reserved = Generate.pick(List.copyOf(new java.util.TreeSet<>(ProtocolGenerators.RESERVED)))
        .zip(Generate.range(0, 1 << 7), NameProperties::mixCase);
    Gen<String> lengths = Generate.range(30, 34).map(n -> "n".repeat(n));
    return near.mix(reserved, 30).mix(lengths, 10);
  }

  private static String mixCase(String word, int mask) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      b.append((mask & (1 << (i % 7))) != 0 ? Character.toUpperCase(c) : c);
    }
    return b.toString();
  }

  @Test
  @DisplayName("GEN-NAME-1 GEN-NAME-3: Names.isValid agrees with the specification's shape and reserved words")
  void validityMatchesTheSpecification() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, 2000).forAll(candidates())
        .checkAssert(name -> assertEquals(oracle(name), Names.isValid(name), name)));
  }

  @Test
  @DisplayName("GEN-NAME-1 MD-LOGIN-2: a modern LOGIN decodes exactly when the name is valid, else INVALID_NAME")
  void loginDecodingMatchesValidity() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, 1000).forAll(candidates().assuming(n -> !n.isEmpty() && !n.contains("\t")))
        .checkAssert(name -> {
          DecodeResult<ClientCommand> r = ModernCommandDecoder.decode(("LOGIN " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          if (oracle(name)) {
            assertEquals(DecodeResult.success(new ClientCommand.Login(name)), r);
          } else {
            assertEquals(ErrorCode.INVALID_NAME, ((DecodeResult.Failure<?>) r).code(), name);
          }
        }));
  }

  @Test
  @DisplayName("GEN-NAME-2: two names have the same key exactly when they are equal ignoring ASCII case")
  void keysIgnoreAsciiCase() {
    PropertyRuns.check(seed, () -> PropertyRuns.qt(seed, 1000)
        .forAll(ProtocolGenerators.names(), Generate.range(0, 1 << 7), ProtocolGenerators.names())
        .checkAssert((name, mask, other) -> {
          assertEquals(Names.key(name), Names.key(mixCase(name, mask)));
          assertEquals(name.equalsIgnoreCase(other), Names.key(name).equals(Names.key(other)), name + " / " + other);
        }));
  }
}
