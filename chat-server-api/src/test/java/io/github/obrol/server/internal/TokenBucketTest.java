package io.github.obrol.server.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  @DisplayName("GEN-LIMIT-4: a burst, then the sustained rate; refills with time (explicit clock)")
  void burstThenRate() {
    TokenBucket b = new TokenBucket(10, 3, 0);
    assertTrue(b.tryAcquire(0));
    assertTrue(b.tryAcquire(0));
    assertTrue(b.tryAcquire(0));
    assertFalse(b.tryAcquire(0));
    assertFalse(b.tryAcquire(50_000_000L)); // half a token
    assertTrue(b.tryAcquire(100_000_000L)); // one token after 100 ms at 10/s
    assertFalse(b.tryAcquire(100_000_000L));
    assertTrue(b.tryAcquire(10_000_000_000L));
    assertTrue(b.tryAcquire(10_000_000_000L));
    assertTrue(b.tryAcquire(10_000_000_000L));
    assertFalse(b.tryAcquire(10_000_000_000L), "never more than the burst");
  }

  @Test
  void zeroRateNeverLimits() {
    TokenBucket b = new TokenBucket(0, 1, 0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(b.tryAcquire(0));
    }
  }

  @Test
  void sendableTexts() {
    assertTrue(Interceptors.isSendable("caf\u00e9 \ud83d\ude00"));
    assertFalse(Interceptors.isSendable("   "));
    assertFalse(Interceptors.isSendable("a\tb"));
    assertFalse(Interceptors.isSendable("a\ud83d"));
    assertFalse(Interceptors.isSendable(null));
  }
}
