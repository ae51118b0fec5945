package io.sparkaistore.it;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by the TLS tests, which give it AIS's environment variables ({@code
 * AIS_ENDPOINT}, {@code AIS_CLIENT_CA}, {@code AIS_CRT}, {@code AIS_CRT_KEY}) and no connector
 * option: writes SAMPLES WebDataset samples under PATH, reads them back and prints {@code samples=N
 * bytes=B}.
 */
public final class TlsJob {
  private TlsJob() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark
        .range(0, Long.parseLong(args[1]), 1, 2)
        .selectExpr(
            "format_string('s%05d', id) AS __key__",
            "cast(format_string('sample %d', id) AS binary) AS txt")
        .write()
        .format("ais")
        .option("layout", "webdataset")
        .save(args[0]);
    Row totals =
        spark
            .read()
            .format("ais")
            .option("layout", "webdataset")
            .schema("__key__ STRING, txt BINARY")
            .load(args[0])
            .selectExpr("count(*)", "sum(length(txt))")
            .first();
    System.out.println("samples=" + totals.getLong(0) + " bytes=" + totals.getLong(1));
    spark.stop();
  }
}
