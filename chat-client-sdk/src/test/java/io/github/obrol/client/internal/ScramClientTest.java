package io.github.obrol.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.testkit.Verifies;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The client's SCRAM-SHA-256 messages against RFC 7677 section 3's example (user "user", password "pencil"). */
class ScramClientTest {
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Verifies({"AUTH-14"})
  @DisplayName("AUTH-14: RFC 7677's client-first and client-final messages, and its server signature accepted")
  void rfc7677Example() {
    ScramClient c = new ScramClient("user", "pencil".toCharArray(), "rOprNGfwEbeRWgbNEkqO");
    assertEquals("biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=", c.clientFirst());
    assertFalse(c.serverProved(b64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")), "nothing proved before the exchange");
    String clientFinal = c.clientFinal(b64("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
    assertEquals(b64("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="),
        clientFinal);
    assertTrue(c.serverProved(b64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    assertFalse(c.serverProved(b64("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    assertFalse(c.serverProved("!!"));
  }

  @Test
  @Verifies({"AUTH-14"})
  @DisplayName("AUTH-14: a challenge that does not extend the client's nonce, or asks absurd iterations, is refused")
  void badChallenges() {
    ScramClient c = new ScramClient("user", "pencil".toCharArray(), "abc");
    for (String bad : new String[] {"r=xyz123,s=c2FsdA==,i=4096", "r=abc,s=c2FsdA==,i=4096", "r=abcd,s=c2FsdA==,i=0",
        "r=abcd,s=c2FsdA==,i=10000001", "r=abcd,s=,i=4096", "r=abcd,i=4096", "e=other-error"}) {
      assertNull(c.clientFinal(b64(bad)), bad);
    }
    assertNull(c.clientFinal("not base64!"));
  }
}
