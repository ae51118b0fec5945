package io.sparkaistore.it;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM with a small heap by {@link SmallHeapShardIT}.
 *
 * <ul>
 *   <li>{@code read ENDPOINT PATH}: reads a WebDataset path, prints the samples and the bytes of
 *       their {@code bin} members;
 *   <li>{@code write ENDPOINT PATH SAMPLES BYTES}: writes SAMPLES samples with a BYTES-byte {@code
 *       bin} member each, as one shard.
 * </ul>
 */
public final class SmallHeapJob {
  private SmallHeapJob() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            // Spark refuses to start below 450 MB of "system memory"; this run is about the
            // connector's heap.
            .config("spark.testing.memory", String.valueOf(1L << 30))
            .getOrCreate();
    if (args[0].equals("read")) {
      Row totals =
          spark
              .read()
              .format("ais")
              .option("endpoint", args[1])
              .option("layout", "webdataset")
              .schema("__key__ STRING, bin BINARY")
              .load(args[2])
              .selectExpr("count(*)", "sum(length(bin))")
              .first();
      System.out.println("samples=" + totals.getLong(0) + " bytes=" + totals.getLong(1));
    } else {
      spark
          .range(0, Long.parseLong(args[3]), 1, 1)
          .selectExpr(
              "format_string('s%05d', id) AS __key__",
              "unhex(repeat('ab', " + args[4] + ")) AS bin")
          .write()
          .format("ais")
          .option("endpoint", args[1])
          .option("layout", "webdataset")
          .option("maxShardBytes", "2g")
          .option("maxSamplesPerShard", "1000000")
          .save(args[2]);
      System.out.println("written");
    }
    spark.stop();
  }
}
