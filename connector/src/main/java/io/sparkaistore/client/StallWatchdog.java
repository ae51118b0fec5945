package io.sparkaistore.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the read timeout on response bodies. The JDK's HTTP client times out only the wait for
 * response headers; a body that stops arriving would block its reader forever. One daemon thread looks
 * at the open object streams twice a second and aborts the connection of any read that has waited
 * longer than its timeout, which the stream then treats as a broken connection and resumes.
 */
final class StallWatchdog {
  static final StallWatchdog INSTANCE = new StallWatchdog();

  /** A read that can be aborted when it makes no progress. */
  interface Watched {
    /** When the current blocking read began ({@link System#nanoTime()}), or 0 when not reading. */
    long readStartedNanos();

    long timeoutNanos();

    void abortStalledRead();
  }

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

  private StallWatchdog() {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ais-read-watchdog");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, 500, 500, TimeUnit.MILLISECONDS);
  }

  void watch(Watched w) {
    watched.add(w);
  }

  void unwatch(Watched w) {
    watched.remove(w);
  }

  private void check() {
    long now = System.nanoTime();
    for (Watched w : watched) {
      long started = w.readStartedNanos();
      if (started != 0 && now - started > w.timeoutNanos()) {
        w.abortStalledRead();
      }
    }
  }
}
