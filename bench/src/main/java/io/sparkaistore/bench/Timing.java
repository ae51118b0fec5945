package io.sparkaistore.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The time of the measured work itself, reported to bench.py: without JVM or Spark start-up, and
 * after untimed warm-up runs of the same work, so that every Java contender is compared at its
 * steady state (JIT-compiled, code generated, connections pooled), not by how fast it warms up.
 */
final class Timing {
  private Timing() {}

  /**
   * The result of one run of some work, with its wall time and the process's CPU time during it.
   */
  record Timed<T>(T result, double seconds, double cpuSeconds) {}

  /**
   * Runs {@code work} {@code warmups} times (argument {@code warmups}, default 2) untimed, then
   * once timed, printing the timed run's wall time and the process's CPU time during it.
   */
  static <T> T warmThenTime(Map<String, String> a, Callable<T> work) throws Exception {
    int warmups = Integer.parseInt(a.getOrDefault("warmups", "2"));
    for (int i = 0; i < warmups; i++) {
      System.out.println("COLD seconds=" + time(work).seconds());
    }
    Timed<T> timed = time(work);
    System.out.println("ELAPSED seconds=" + timed.seconds());
    System.out.println("CPU seconds=" + timed.cpuSeconds());
    return timed.result();
  }

  /** Runs {@code work} once. */
  static <T> Timed<T> time(Callable<T> work) throws Exception {
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    T result = work.call();
    return new Timed<>(result, (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu) / 1e9);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
