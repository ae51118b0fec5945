package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private static final long MS = 1_000_000;
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  // No jitter to speak of: initial == max, so every wait is drawn from [500, 1000] ms.
  private final Backoff oneSecond = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));

  private RetryBudget budget(int maxAttempts, Duration timeout) {
    return new RetryBudget(maxAttempts, timeout, oneSecond, now::get);
  }

  @Test
  void attemptsRunOutFirstWhenTheyAreFew() {
    RetryBudget b = budget(3, Duration.ofHours(1));
    assertTrue(b.failed() >= 0);
    assertTrue(b.failed() >= 0);
    assertEquals(-1, b.failed(), "the third attempt was the last");
    assertEquals(2, b.retries());
  }

  @Test
  void timeRunsOutFirstWhenFailuresComeFast() {
    RetryBudget b = budget(1000, Duration.ofSeconds(30));
    int retries = 0;
    for (long wait; (wait = b.failed()) >= 0; retries++) {
      now.addAndGet(wait * MS + 2 * MS); // each attempt is refused within 2 ms
    }
    assertTrue(retries >= 29 && retries <= 60, "retries " + retries);
    assertEquals(retries, b.retries());
  }

  @Test
  void lastWaitIsCutShortToEndAtTheDeadline() {
    RetryBudget b = budget(1000, Duration.ofMillis(1500));
    b.failed();
    now.addAndGet(1300 * MS);
    assertEquals(200, b.failed(), "200 ms are left of the 1.5 s after the first failure");
    now.addAndGet(200 * MS);
    assertEquals(-1, b.failed());
  }

  @Test
  void timeCountsFromTheFirstFailureNotFromTheStart() {
    RetryBudget b = budget(1000, Duration.ofSeconds(1));
    now.addAndGet(60_000 * MS); // a first attempt that waited a minute for its answer
    assertTrue(b.failed() >= 500, "a slow first failure still gets its retries");
  }

  @Test
  void progressRenewsTheBudget() {
    RetryBudget b = budget(2, Duration.ofSeconds(10));
    assertTrue(b.failed() >= 0);
    b.progressed();
    assertEquals(0, b.retries());
    assertTrue(b.failed() >= 0, "a fresh budget after progress");
    assertEquals(-1, b.failed());
  }

  @Test
  void summarySaysHowManyRetriesOverHowLong() {
    RetryBudget b = budget(10, Duration.ofMinutes(1));
    assertNull(b.summary(), "nothing retried, nothing to say");
    b.failed();
    now.addAndGet(2_400 * MS);
    assertEquals("retried 1 time over 2.4 s", b.summary());
    b.failed();
    b.failed();
    now.addAndGet(100 * MS);
    assertEquals("retried 3 times over 2.5 s", b.summary());
  }

  @Test
  void defaultsRideOutThirtySecondsOfRefusedConnections() {
    AisClientConfig defaults = AisClientConfig.builder("http://h:1").build();
    RetryBudget b =
        new RetryBudget(
            defaults.maxAttempts(), defaults.retryTimeout(), defaults.backoff(), now::get);
    long start = now.get();
    for (long wait; (wait = b.failed()) >= 0; ) {
      now.addAndGet(wait * MS + MS);
    }
    long spent = (now.get() - start) / MS;
    assertTrue(spent >= 40_000 && spent <= 46_000, "retried for " + spent + " ms");
  }
}
