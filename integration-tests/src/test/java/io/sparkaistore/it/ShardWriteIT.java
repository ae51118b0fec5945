package io.sparkaistore.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShardWriteIT {
  private static final SparkSession spark = TestSpark.session();
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "shard-write");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  /** n samples: key sample_000i, jpg bytes, cls integer, txt string (null for every third). */
  static Dataset<Row> samples(int n, int partitions) {
    return spark.range(0, n, 1, partitions)
        .select(
            format_string("sample_%04d", col("id")).as("__key__"),
            concat(lit("jpeg-bytes-"), col("id").cast("string")).cast("binary").as("jpg"),
            col("id").mod(10).cast("int").as("cls"),
            when(col("id").mod(3).notEqual(0), concat(lit("caption "), col("id").cast("string"))).as("txt"));
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df) {
    return df.write().format("ais").option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset");
  }

  private static Dataset<Row> readBack(String path) {
    return spark.read().format("ais").option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset").load(path);
  }

  private static List<Long> samplesPerShard(JsonNode manifest) {
    List<Long> out = new java.util.ArrayList<>();
    manifest.path("shards").forEach(s -> out.add(s.path("samples").asLong()));
    return out;
  }

  private List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream().map(ObjectEntry::name)
        .collect(Collectors.toList());
  }

  @Test
  void roundTripIsByteExactWithManifest() throws Exception {
    // Partitions of 8, 8 and 9 samples, four per shard: 2 + 2 + 3 shards, numbered in partition order.
    writer(samples(25, 3)).option("maxSamplesPerShard", "4").save(path("round/"));
    assertEquals(List.of("round/_manifest.json", "round/shard-000000.tar", "round/shard-000001.tar",
        "round/shard-000002.tar", "round/shard-000003.tar", "round/shard-000004.tar", "round/shard-000005.tar",
        "round/shard-000006.tar"), names("round/"));
    List<Row> rows = readBack(path("round/")).orderBy("__key__").collectAsList();
    assertEquals(25, rows.size());
    for (int i = 0; i < 25; i++) {
      Row r = rows.get(i);
      assertEquals(String.format("sample_%04d", i), r.getString(r.fieldIndex("__key__")));
      assertArrayEquals(("jpeg-bytes-" + i).getBytes(StandardCharsets.UTF_8), (byte[]) r.get(r.fieldIndex("jpg")));
      assertEquals(String.valueOf(i % 10), new String((byte[]) r.get(r.fieldIndex("cls")), StandardCharsets.UTF_8));
      Object txt = r.get(r.fieldIndex("txt"));
      if (i % 3 == 0) {
        assertNull(txt);
      } else {
        assertEquals("caption " + i, new String((byte[]) txt, StandardCharsets.UTF_8));
      }
    }
    JsonNode manifest = new ObjectMapper().readTree(client.getBytes(bucket, "round/_manifest.json"));
    assertEquals(25, manifest.path("samples").asLong());
    assertEquals(7, manifest.path("shards").size());
    assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L, 1L), samplesPerShard(manifest));
    assertEquals("round/shard-000000.tar", manifest.path("shards").get(0).path("name").asText());
  }
}
