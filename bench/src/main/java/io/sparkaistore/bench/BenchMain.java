package io.sparkaistore.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * One benchmark run per JVM, so that bench/bench.py can measure its wall time, CPU time and peak
 * memory from the outside, the same way for every contender. Arguments are {@code case
 * key=value...}; the run ends by printing {@code RESULT bytes=<n> items=<n>}.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    long[] result;
    switch (args[0]) {
      case "prepare-shards" -> result = Datasets.shards(a);
      case "prepare-objects" -> result = Datasets.objects(a);
      case "raw-drain" -> result = RawHttp.drain(a);
      case "raw-put" -> result = RawHttp.put(a);
      case "range-read" -> result = RawHttp.rangeRead(a);
      case "spark-read" -> result = SparkCases.read(a);
      case "spark-write" -> result = SparkCases.write(a);
      case "spark-selections" -> result = Selections.read(a);
      case "s3a-binaryfile" -> result = S3aCases.binaryFileRead(a);
      case "delay-proxy" -> {
        DelayProxy.serve(a);
        return;
      }
      default -> throw new IllegalArgumentException("unknown case " + args[0]);
    }
    System.out.println("RESULT bytes=" + result[0] + " items=" + result[1]);
    System.exit(0); // Spark's and the HTTP client's non-daemon threads would keep the JVM alive
  }
}
