package io.sparkaistore.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The connector in a local Spark: reads that materialise every column, and shard writes. */
final class SparkCases {
  /** The key of the sample {@link #write} makes from row number {@code id}. */
  static final String KEY_FORMAT = "s%08d";

  private SparkCases() {}

  /**
   * A local session of {@code parallelism} cores, plus any Hadoop settings given as {@code
   * hadoop.<key>=<value>}.
   */
  static SparkSession spark(Map<String, String> a) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[" + a.get("parallelism") + "]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", a.get("parallelism"))
            // Spark refuses heaps under 450 MB; the memory runs use smaller ones on purpose.
            .config("spark.testing.memory", String.valueOf(1L << 30));
    a.forEach(
        (k, v) -> {
          if (k.startsWith("hadoop.")) {
            builder.config("spark." + k, v);
          }
        });
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Reads a path with the given format and options (see {@link #timedTotals}). */
  static long[] read(Map<String, String> a) throws Exception {
    return timedTotals(a, spark -> reader(spark, a).load(a.get("path")));
  }

  /** A reader of {@code format} (default ais) with the options given as {@code opt.<name>}. */
  static DataFrameReader reader(SparkSession spark, Map<String, String> a) {
    DataFrameReader reader = spark.read().format(a.getOrDefault("format", "ais"));
    a.forEach(
        (k, v) -> {
          if (k.startsWith("opt.")) {
            reader.option(k.substring(4), v);
          }
        });
    return reader;
  }

  /**
   * Adds up the length of every binary column of the rows {@code rows} gives (so every byte is
   * materialised in a row) and counts them, timed after warm-up runs (see {@link Timing}); returns
   * {bytes, rows}.
   */
  static long[] timedTotals(Map<String, String> a, Function<SparkSession, Dataset<Row>> rows)
      throws Exception {
    SparkSession spark = spark(a);
    Row totals = Timing.warmThenTime(a, () -> totals(rows.apply(spark)));
    long bytes = 0;
    for (int i = 0; i < totals.size() - 1; i++) {
      bytes += totals.isNullAt(i) ? 0 : totals.getLong(i);
    }
    return new long[] {bytes, totals.getLong(totals.size() - 1)};
  }

  private static Row totals(Dataset<Row> df) {
    List<Column> lengths = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      if (f.dataType() instanceof BinaryType) {
        lengths.add(sum(length(col("`" + f.name() + "`"))).cast("long"));
      }
    }
    lengths.add(count(lit(1)));
    return df.agg(lengths.get(0), lengths.subList(1, lengths.size()).toArray(new Column[0]))
        .first();
  }

  /**
   * Writes {@code samples} samples (a jpg of {@code jpgBytes} random bytes, a cls) as shards into
   * {@code bucket}, created when missing. Rows are made on the fly by copying a slice of a random
   * pool: cheaper than any cache read, so the timing is the write's (a cached DataFrame of this
   * size did not fit the memory store and was recomputed).
   */
  static long[] write(Map<String, String> a) throws Exception {
    Datasets.bucket(Datasets.client(a), a); // a step run alone (bench/run --only) may be the first
    SparkSession spark = spark(a);
    int jpgBytes = Integer.parseInt(a.get("jpgBytes"));
    byte[] pool = new byte[jpgBytes + (1 << 20)];
    new Random(5).nextBytes(pool);
    spark
        .udf()
        .register(
            "randomBytes",
            (UDF1<Long, byte[]>)
                id -> {
                  int offset = Math.floorMod(id * 7919, 1 << 20);
                  return java.util.Arrays.copyOfRange(pool, offset, offset + jpgBytes);
                },
            DataTypes.BinaryType);
    Dataset<Row> samples =
        spark
            .range(0, Long.parseLong(a.get("samples")), 1, Integer.parseInt(a.get("parallelism")))
            .select(
                format_string(KEY_FORMAT, col("id")).as("__key__"),
                org.apache.spark.sql.functions.callUDF("randomBytes", col("id")).as("jpg"),
                col("id").mod(1000).cast("int").as("cls"));
    long count = Long.parseLong(a.get("samples"));
    Timing.warmThenTime(
        a,
        () -> {
          writeShards(samples, a);
          return null;
        });
    return new long[] {count * jpgBytes, count};
  }

  /** An overwrite, so the timed write also pays for replacing the shards of the run before it. */
  private static void writeShards(Dataset<Row> samples, Map<String, String> a) {
    DataFrameWriter<Row> writer =
        samples
            .write()
            .format("ais")
            .option("endpoint", a.get("endpoint"))
            .option("layout", "webdataset")
            .option("maxShardBytes", a.getOrDefault("maxShardBytes", "64m"));
    a.forEach(
        (k, v) -> {
          if (k.startsWith("opt.")) {
            writer.option(k.substring(4), v);
          }
        });
    writer.mode("overwrite").save(a.get("path"));
  }
}
