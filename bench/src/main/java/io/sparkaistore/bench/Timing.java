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
   * Runs {@code work} {@code warmups} times (argument {@code warmups}, default 2) untimed, then
   * once timed, printing the timed run's wall time and the process's CPU time during it.
   */
  static <T> T warmThenTime(Map<String, String> a, Callable<T> work) throws Exception {
    int warmups = Integer.parseInt(a.getOrDefault("warmups", "2"));
    for (int i = 0; i < warmups; i++) {
      long start = System.nanoTime();
      work.call();
      System.out.println("COLD seconds=" + (System.nanoTime() - start) / 1e9);
    }
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    T result = work.call();
    System.out.println("ELAPSED seconds=" + (System.nanoTime() - start) / 1e9);
    System.out.println("CPU seconds=" + (processCpuNanos() - cpu) / 1e9);
    return result;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
