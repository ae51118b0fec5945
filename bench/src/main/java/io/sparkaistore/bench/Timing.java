package io.sparkaistore.bench;

/** The time of the measured work itself, without JVM or Spark start-up, reported to bench.py. */
final class Timing {
  private Timing() {}

  static void report(long startNanos) {
    System.out.println("ELAPSED seconds=" + (System.nanoTime() - startNanos) / 1e9);
  }
}
