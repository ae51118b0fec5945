package io.sparkaistore.source.write;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs the many small requests of a job commit, {@code commitThreads} at a time. */
final class CommitSteps {
  interface Step {
    void run(int index) throws IOException;
  }

  private final int threads;

  CommitSteps(int threads) {
    this.threads = threads;
  }

  /**
   * Runs {@code count} steps; the first failure fails the whole. Steps not started then never
   * start; those running finish first, so that whoever undoes the work sees all that was done in
   * AIS.
   */
  void all(int count, Step step) throws IOException {
    if (count == 0) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, threads));
    List<Future<?>> results = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int index = i;
        results.add(
            pool.submit(
                () -> {
                  step.run(index);
                  return null;
                }));
      }
      for (Future<?> r : results) {
        r.get();
      }
    } catch (ExecutionException e) {
      results.forEach(r -> r.cancel(false));
      pool.shutdown();
      awaitQuietly(pool);
      throw e.getCause() instanceof IOException
          ? (IOException) e.getCause()
          : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while committing");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs every one of {@code count} steps, even when some fail; returns the failures by step. */
  Map<Integer, Exception> each(int count, Step step) {
    Map<Integer, Exception> failures = new ConcurrentSkipListMap<>();
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    try {
      all(
          count,
          i -> {
            try {
              step.run(i);
              done.add(i);
            } catch (IOException | RuntimeException e) {
              failures.put(i, e);
            }
          });
    } catch (IOException interrupted) {
      for (int i = 0; i < count; i++) {
        if (!done.contains(i)) {
          failures.putIfAbsent(i, interrupted);
        }
      }
    }
    return failures;
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
