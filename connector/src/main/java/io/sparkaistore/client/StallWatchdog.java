package io.sparkaistore.client;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces read timeouts on response bodies ({@link TimedInputStream}): one daemon thread looks at
 * the open bodies twice a second and aborts any read that has waited longer than its timeout.
 */
final class StallWatchdog {
  static final StallWatchdog INSTANCE = new StallWatchdog();

  /** A read that can be aborted when it makes no progress. */
  interface Watched {
    /** When the current blocking read began ({@link System#nanoTime()}), or 0 when not reading. */
    long readStartedNanos();

    long timeoutNanos();

    /** Aborts the read that began at {@code startedNanos}, if it is still the one in progress. */
    void abortStalledRead(long startedNanos);
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
    // check() catches what a stream throws, so the task runs as long as the JVM: nothing awaits it.
    Future<?> unused = timer.scheduleWithFixedDelay(this::check, 500, 500, TimeUnit.MILLISECONDS);
  }

  void watch(Watched w) {
    watched.add(w);
  }

  void unwatch(Watched w) {
    watched.remove(w);
  }

  private void check() {
    long now = System.nanoTime();
    for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
      Watched w = it.next();
      try {
        long started = w.readStartedNanos();
        if (started != 0 && now - started > w.timeoutNanos()) {
          w.abortStalledRead(started);
        }
      } catch (RuntimeException e) {
        // One misbehaving stream must not end the watch over all the others (a scheduled task
        // that throws is never run again).
        it.remove();
      }
    }
  }
}
