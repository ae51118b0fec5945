package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromInitialUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    assertEquals(Duration.ofMillis(100), b.delay(1));
    assertEquals(Duration.ofMillis(200), b.delay(2));
    assertEquals(Duration.ofMillis(400), b.delay(3));
    assertEquals(Duration.ofMillis(800), b.delay(4));
    assertEquals(Duration.ofSeconds(1), b.delay(5));
    assertEquals(Duration.ofSeconds(1), b.delay(500));
  }

  @Test
  void jitterStaysBetweenHalfAndAllOfTheBase() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    for (int i = 0; i < 1000; i++) {
      long wait = b.jittered(3).toMillis();
      assertTrue(wait >= 200 && wait <= 400, "wait " + wait);
    }
  }

  @Test
  void zeroInitialNeverWaits() {
    assertEquals(Duration.ZERO, new Backoff(Duration.ZERO, Duration.ofSeconds(1)).delay(10));
  }

  @Test
  void rejectsCapBelowInitialAndRetryZero() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ZERO).delay(0));
  }
}
