package io.sparkaistore.it;

import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of the test JVM: two threads, sized for a 2-core machine. */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .appName("spark-aistore-it")
              // Two threads; a failed task is tried twice, so tests can prove what a retry leaves.
              .master("local[2,2]")
              // The UI on a free port: tests read what it shows through its REST API
              // (WriteMetricsOf).
              .config("spark.ui.port", "0")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.driver.host", "127.0.0.1")
              // Plans stay as planned, so tests can read a scan's metrics from the executed plan.
              .config("spark.sql.adaptive.enabled", "false")
              .getOrCreate();
    }
    return session;
  }

  /** A read of the {@code ais} source from the test cluster, in {@code layout}. */
  public static DataFrameReader aisReader(String layout) {
    return session()
        .read()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", layout);
  }
}
