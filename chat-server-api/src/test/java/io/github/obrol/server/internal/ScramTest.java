package io.github.obrol.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.obrol.server.ScramCredential;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.testkit.Verifies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's SCRAM-SHA-256 messages against RFC 7677 section 3's example (user "user", password "pencil"). The
 * password-file lines were computed outside this code with Python's hashlib/hmac: StoredKey and ServerKey of
 * "pencil" with the RFC's salt and 4,096 iterations, and (legacy line) the PBKDF2 hash itself. The client's proof
 * and the server's signature are the RFC's, and were recomputed there too.
 */
class ScramTest {
  static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
  static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
  static final String LINE = "user:scram-sha-256:4096:W22ZaJ0SNY7soEsUEjb6gQ==:WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="
      + ":wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";
  static final String LEGACY_LINE = "user:pbkdf2-sha256:4096:W22ZaJ0SNY7soEsUEjb6gQ==:xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0=";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ScramCredential credential(Path dir, String line) throws Exception {
    Path file = dir.resolve("passwords.txt");
    Files.write(file, List.of(line));
    return PasswordFile.load(file).scramCredential("USER").orElseThrow();
  }

  private static Scram.Exchange rfcExchange(ScramCredential credential) {
    Scram.ClientFirst first = Scram.parseClientFirst(utf8(CLIENT_FIRST));
    assertNotNull(first);
    return Scram.start(first, SERVER_NONCE, credential);
  }

  @Test
  @Verifies({"AUTH-8"})
  @DisplayName("AUTH-8: RFC 7677's example, from a scram-sha-256 line and from a legacy pbkdf2-sha256 line")
  void rfc7677Example(@TempDir Path dir) throws Exception {
    for (String line : List.of(LINE, LEGACY_LINE)) {
      ScramCredential c = credential(dir, line);
      assertEquals("user", c.account());
      assertArrayEquals(Base64.getDecoder().decode("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="), c.storedKey(), line);
      Scram.ClientFirst first = Scram.parseClientFirst(utf8(CLIENT_FIRST));
      assertEquals(new Scram.ClientFirst("n,,", "n=user,r=rOprNGfwEbeRWgbNEkqO", "user", "rOprNGfwEbeRWgbNEkqO"), first);
      Scram.Exchange x = rfcExchange(c);
      assertEquals(SERVER_FIRST, x.serverFirst());
      assertEquals(SERVER_FINAL, Scram.finish(x, utf8(CLIENT_FINAL)));
    }
  }

  @Test
  @Verifies({"AUTH-5", "AUTH-8"})
  @DisplayName("AUTH-5 AUTH-8: a wrong proof, nonce or channel binding, or an unknown account, fails")
  void failures(@TempDir Path dir) throws Exception {
    ScramCredential c = credential(dir, LINE);
    String wrongProof = CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
    String wrongNonce = CLIENT_FINAL.replace("hNlF$k0,", "hNlF$k1,");
    String wrongBinding = CLIENT_FINAL.replace("c=biws", "c=eSws"); // "y,," where the client sent "n,,"
    String noProof = CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf(",p="));
    for (String bad : List.of(wrongProof, wrongNonce, wrongBinding, noProof, "", "c=biws,p=AAAA")) {
      assertNull(Scram.finish(rfcExchange(c), utf8(bad)), bad);
    }
    assertNull(Scram.finish(rfcExchange(null), utf8(CLIENT_FINAL)), "no credential: an unknown account never passes");
  }

  @Test
  @Verifies({"AUTH-8"})
  @DisplayName("AUTH-8: client-first messages with channel binding, m=, a foreign authzid or bad attributes are refused")
  void clientFirst() {
    for (String bad : List.of("p=tls-unique,,n=user,r=abc", "n,,m=x,n=user,r=abc", "n,a=bob,n=user,r=abc", "n,,r=abc,n=user",
        "n,,n=,r=abc", "n,,n=us=er,r=abc", "n,,n=user,r=", "n,,n=user,r=a b", "x,,n=user,r=abc", "n,,n=user", "n,,n=user,r=abc,m=1")) {
      assertNull(Scram.parseClientFirst(utf8(bad)), bad);
    }
    assertEquals(new Scram.ClientFirst("y,a=User,", "n=user,r=abc", "user", "abc"), Scram.parseClientFirst(utf8("y,a=User,n=user,r=abc")));
    assertEquals("a,b=c", Scram.parseClientFirst(utf8("n,,n=a=2Cb=3Dc,r=abc")).user());
  }

  @Test
  @Verifies({"AUTH-5"})
  @DisplayName("AUTH-5: an unknown account gets a salt that stays the same for its name and the file's iteration count")
  void decoys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("passwords.txt");
    Files.write(file, List.of(LINE));
    PasswordFile pf = PasswordFile.load(file);
    ScramCredential one = pf.scramCredential("mallory").orElseThrow();
    ScramCredential two = pf.scramCredential("Mallory").orElseThrow();
    assertEquals(4096, one.iterations());
    assertArrayEquals(one.salt(), two.salt());
    assertEquals(16, one.salt().length);
    Scram.ClientFirst first = Scram.parseClientFirst(utf8("n,,n=nobody,r=abc"));
    assertEquals(Scram.start(first, "x", null).serverFirst(), Scram.start(first, "x", null).serverFirst());
  }
}
