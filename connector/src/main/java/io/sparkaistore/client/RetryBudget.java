package io.sparkaistore.client;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The retries left to one request, or to one read between two pieces of progress: at most {@code
 * maxAttempts} attempts, and none that starts more than {@code retryTimeout} after the first
 * failure. Counting in time as well as attempts is what lets a read wait out a target's restart,
 * however fast each failed attempt comes back (a refused connection takes a millisecond). The wait
 * before each retry follows the {@link Backoff}, the last one cut short to end at the deadline, so
 * that a node back just in time is still found. One per request, on one thread.
 */
final class RetryBudget {
  private final int maxAttempts;
  private final long timeoutNanos;
  private final Backoff backoff;
  private final LongSupplier clock;
  private long startNanos;
  private long firstFailureNanos;
  private int failures;
  private int retries;

  RetryBudget(AisClientConfig config) {
    this(config.maxAttempts(), config.retryTimeout(), config.backoff(), System::nanoTime);
  }

  RetryBudget(int maxAttempts, Duration retryTimeout, Backoff backoff, LongSupplier clock) {
    this.maxAttempts = maxAttempts;
    this.timeoutNanos = retryTimeout.toNanos();
    this.backoff = backoff;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
  }

  /**
   * Counts a failed attempt and returns how long to wait before the next one, in milliseconds, or
   * -1 when the budget is spent.
   */
  long failed() {
    long now = clock.getAsLong();
    if (failures++ == 0) {
      firstFailureNanos = now;
    }
    long leftNanos = timeoutNanos - (now - firstFailureNanos);
    if (failures >= maxAttempts || leftNanos <= 0) {
      return -1;
    }
    retries++;
    long leftMillis = (leftNanos + 999_999) / 1_000_000;
    return Math.min(backoff.jittered(failures).toMillis(), leftMillis);
  }

  /** Counts a failed attempt and waits before the next one; false when the budget is spent. */
  boolean awaitRetry() throws InterruptedIOException {
    long wait = failed();
    if (wait < 0) {
      return false;
    }
    try {
      Thread.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** The stream this budget guards made progress: the next failure starts a fresh budget. */
  void progressed() {
    failures = 0;
    retries = 0;
    startNanos = clock.getAsLong();
  }

  /** Retries made since the start (or the last progress). */
  int retries() {
    return retries;
  }

  /** "retried 3 times over 2.4 s", or null when nothing was retried. */
  String summary() {
    if (retries == 0) {
      return null;
    }
    double seconds = (clock.getAsLong() - startNanos) / 1e9;
    return String.format(
        Locale.ROOT, "retried %d time%s over %.1f s", retries, retries == 1 ? "" : "s", seconds);
  }
}
