package io.sparkaistore.client;

import java.io.Serializable;
import java.time.Duration;

/**
 * Capped exponential backoff: the base wait before retry {@code n} (1-based) is {@code min(max,
 * initial * 2^(n-1))}, and the actual wait is drawn between half of it and all of it, so that the
 * many tasks of a Spark job that hit the same overloaded node do not retry in lockstep.
 */
public final class Backoff implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long initialMillis;
  private final long maxMillis;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "Backoff needs 0 <= initial <= max, got initial=" + initial + " max=" + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The base wait before retry number {@code retry} (1 for the first retry): the most it waits. */
  public Duration delay(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
    }
    int doublings = Math.min(retry - 1, 62);
    long delay = initialMillis > (maxMillis >> doublings) ? maxMillis : initialMillis << doublings;
    return Duration.ofMillis(Math.min(delay, maxMillis));
  }

  /** The wait before retry {@code retry}, drawn from [delay/2, delay]. */
  public Duration jittered(int retry) {
    long base = delay(retry).toMillis();
    return Duration.ofMillis(
        base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base - base / 2 + 1));
  }

  @Override
  public String toString() {
    return "Backoff[initial=" + initialMillis + "ms, max=" + maxMillis + "ms]";
  }
}
