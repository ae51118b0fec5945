package io.sparkaistore.it;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM with a small heap by {@link SmallHeapShardIT}: reads one WebDataset path and
 * prints the number of samples and the bytes of their {@code bin} members.
 */
public final class SmallHeapRead {
  private SmallHeapRead() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        // Spark refuses to start below 450 MB of "system memory"; this run is about the reader's heap.
        .config("spark.testing.memory", String.valueOf(1L << 30))
        .getOrCreate();
    Row totals = spark.read().format("ais").option("endpoint", args[0]).option("layout", "webdataset")
        .schema("__key__ STRING, bin BINARY").load(args[1])
        .selectExpr("count(*)", "sum(length(bin))").first();
    System.out.println("samples=" + totals.getLong(0) + " bytes=" + totals.getLong(1));
    spark.stop();
  }
}
