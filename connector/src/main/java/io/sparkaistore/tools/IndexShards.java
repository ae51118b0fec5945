package io.sparkaistore.tools;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.wds.DaliIndex;
import io.sparkaistore.wds.ShardFormat;
import io.sparkaistore.wds.ShardReader;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes NVIDIA DALI's index ({@code <shard>.idx}, what the {@code shardIndex} write option puts
 * beside new shards) beside every plain tar shard under a path, for shards written by others:
 *
 * <pre>
 * spark-submit --class io.sparkaistore.tools.IndexShards spark-aistore-spark4_2.13-VERSION.jar ais://bucket/shards/
 * </pre>
 *
 * <p>The path may hold brace patterns and globs; objects are listed as a read lists them (names
 * with a component starting with {@code _}, such as {@code _manifest.json}, are not data), and
 * existing indexes are passed over. Compressed and zip shards are passed over and counted: DALI's
 * index addresses a plain tar. An object that is not a shard, or a corrupt one, fails the job
 * naming it. The connection comes from {@code spark.datasource.ais.*} settings and the {@code
 * AIS_*} environment, as for reads. Each index is one PUT, made after its shard was read to its end
 * and checked, so a job cut short leaves shards indexed or not, never half-indexed, and running it
 * again writes the same bytes.
 */
public final class IndexShards {
  private static final Logger LOG = LoggerFactory.getLogger(IndexShards.class);

  private IndexShards() {}

  /** Indexes the shards under {@code args[0]} in the session that spark-submit configured. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println(
          "usage: spark-submit --class "
              + IndexShards.class.getName()
              + " <jar> ais://bucket/path");
      System.exit(2);
    }
    SparkSession spark =
        SparkSession.builder().appName("spark-aistore: index shards").getOrCreate();
    Result result = run(spark, args[0], Collections.emptyMap());
    System.out.println(result);
    spark.stop();
  }

  /**
   * Indexes the plain tar shards under {@code path}, with the read {@code options} given (endpoint,
   * token, ...). Callable from PySpark: {@code
   * spark._jvm.io.sparkaistore.tools.IndexShards.run(spark._jsparkSession, path, {})}.
   */
  public static Result run(SparkSession spark, String path, Map<String, String> options)
      throws IOException {
    Map<String, String> given = new HashMap<>(options);
    given.put(AisOptions.PATH.name(), path);
    ReadConfig config = ReadConfig.parse(OptionValues.withSession(given));
    if (config.paths().size() != 1) {
      throw new IllegalArgumentException("Index one path at a time, not " + config.paths());
    }
    AisBucket bucket = config.paths().get(0).bucket();
    AisClientConfig client = config.clientConfig();
    long[] counts =
        spark
            .read()
            .format("ais")
            .options(options)
            .load(path)
            .select("name", "size")
            .javaRDD()
            .mapPartitions(rows -> indexAll(client, bucket, rows))
            .fold(new long[2], IndexShards::add);
    Result result = new Result(counts[0], counts[1]);
    LOG.info("{} under {}", result, path);
    return result;
  }

  /** Per partition: {indexed, passed over}. */
  private static Iterator<long[]> indexAll(
      AisClientConfig config, AisBucket bucket, Iterator<Row> rows) throws IOException {
    AisClient client = AisClient.create(config);
    long[] counts = new long[2];
    while (rows.hasNext()) {
      Row row = rows.next();
      String name = row.getString(0);
      if (DaliIndex.isIndex(name)) {
        continue;
      }
      counts[index(client, bucket, name, row.getLong(1)) ? 0 : 1]++;
    }
    return Collections.singletonList(counts).iterator();
  }

  /** Whether the object was a plain tar shard, now indexed; false for other shard formats. */
  private static boolean index(AisClient client, AisBucket bucket, String name, long size)
      throws IOException {
    String shard = new AisPath(bucket, name).toString();
    try (ShardReader reader = ShardReader.open(client.get(bucket, name), shard, size)) {
      if (reader.format() != ShardFormat.TAR) {
        LOG.info("Not indexing {}: a {} shard, and DALI indexes plain tar", shard, reader.format());
        return false;
      }
      DaliIndex index = DaliIndex.of(reader);
      if (index.samples() == 0) {
        LOG.info("Not indexing {}: it has no sample, and DALI refuses an empty index", shard);
        return false;
      }
      client.put(bucket, DaliIndex.nameOf(name), index.toBytes());
      return true;
    }
  }

  private static long[] add(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1]};
  }

  /** What a run did: shards indexed, and objects passed over (compressed or zip shards, empty). */
  public static final class Result {
    private final long indexed;
    private final long passedOver;

    Result(long indexed, long passedOver) {
      this.indexed = indexed;
      this.passedOver = passedOver;
    }

    public long indexed() {
      return indexed;
    }

    public long passedOver() {
      return passedOver;
    }

    @Override
    public String toString() {
      return "Indexed " + indexed + " shard(s); passed over " + passedOver + " object(s)";
    }
  }
}
