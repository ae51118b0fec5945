package io.sparkaistore.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.crc32;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.udf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB shard written by the connector, with its DALI index, is cut between samples into slices
 * that separate tasks read through the index: every sample once, every member's bytes as written,
 * and the shard's bytes fetched once in all.
 */
class LargeShardSplitIT {
  private static final int SAMPLES = 1024;
  private static final int MEMBER_BYTES = 1 << 20;

  /** The {@code bin} member of sample {@code id}: random bytes drawn from its number. */
  private static byte[] member(long id) {
    byte[] bytes = new byte[MEMBER_BYTES];
    new Random(id).nextBytes(bytes);
    return bytes;
  }

  private static String key(long id) {
    return String.format("s%05d", id);
  }

  @Test
  void oneGigabyteShardIsReadByAtLeastFourTasksWithExactResults() throws Exception {
    AisClient client = AisTestBuckets.client();
    AisBucket bucket = AisTestBuckets.create(client, "large-shard-split");
    try {
      String path = "ais://" + bucket.name() + "/big/";
      UDF1<Long, byte[]> bin = LargeShardSplitIT::member;
      TestSpark.session()
          .range(0, SAMPLES, 1, 1)
          .select(
              format_string("s%05d", col("id")).as("__key__"),
              col("id").cast("string").cast("binary").as("cls"),
              udf(bin, DataTypes.BinaryType).apply(col("id")).as("bin"))
          .write()
          .format("ais")
          .option("endpoint", AisTestCluster.endpoint().toString())
          .option("layout", "webdataset")
          .option("maxShardBytes", "2g")
          .option("maxSamplesPerShard", "100000")
          .save(path);
      List<ObjectEntry> shards =
          client.listObjects(bucket, ListOptions.prefix("big/")).stream()
              .filter(e -> e.name().endsWith(".tar"))
              .collect(Collectors.toList());
      assertEquals(1, shards.size(), shards.toString());
      long shardBytes = shards.get(0).size();
      assertTrue(shardBytes > (1L << 30), shardBytes + " bytes");

      Dataset<Row> df =
          TestSpark.aisReader("webdataset")
              .load(path)
              .select(
                  col("__key__"),
                  col("cls"),
                  crc32(col("bin")).as("crc"),
                  length(col("bin")).as("length"));
      List<Row> rows = df.collectAsList();
      int tasks = ScanMetrics.preferredLocations(df).size();
      assertTrue(tasks >= 4, tasks + " tasks");

      Map<String, Row> byKey = new TreeMap<>();
      for (Row r : rows) {
        assertNull(byKey.put(r.getString(0), r), "read twice: " + r.getString(0));
      }
      assertEquals(SAMPLES, rows.size());
      for (long id = 0; id < SAMPLES; id++) {
        Row r = byKey.get(key(id));
        CRC32 crc = new CRC32();
        crc.update(member(id));
        assertEquals(String.valueOf(id), new String((byte[]) r.get(1), StandardCharsets.UTF_8));
        assertEquals(crc.getValue(), r.getLong(2), key(id));
        assertEquals(MEMBER_BYTES, r.getInt(3), key(id));
      }

      Map<String, Long> m = ScanMetrics.of(df);
      assertEquals(
          Long.valueOf(tasks), m.get("aisIndexedShards"), "each slice through the index: " + m);
      // Each task fetches its slice and the index (a few KB): the shard once in all.
      assertTrue(m.get("aisBytes") < shardBytes + (4L << 20), m + ", shard " + shardBytes);
      assertTrue(m.get("aisBytes") >= shardBytes - (8L << 20), m + ", shard " + shardBytes);
    } finally {
      AisTestBuckets.destroy(client, bucket);
    }
  }
}
