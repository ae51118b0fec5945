package io.sparkaistore.it;

import static io.sparkaistore.wds.TestShards.shard;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code partitionBy} on webdataset writes: shards (with their DALI indexes) under Hive-style
 * {@code col=value/} directories, read back with the partition columns, filters on them pruning
 * other partitions' shards before any task opens them.
 */
class PartitionedShardIT {
  private static final SparkSession spark = TestSpark.session();
  private static final String DEFAULT = "__HIVE_DEFAULT_PARTITION__";
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "partitioned");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df, String endpoint) {
    return df.write()
        .format("ais")
        .option("endpoint", endpoint)
        .option("layout", "webdataset")
        .option("maxSamplesPerShard", "4");
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df) {
    return writer(df, AisTestCluster.endpoint().toString());
  }

  private static Dataset<Row> read(String prefix) {
    return TestSpark.aisReader("webdataset").load(path(prefix));
  }

  private static List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * 12 samples in 3 tasks; split is train for ids 0, 3, 6, 9, val for 1, 4, 7, 10 and null for the
   * rest, so that each task meets every partition.
   */
  private static Dataset<Row> splits() {
    Dataset<Row> samples = ShardWriteIT.samples(12, 3);
    return samples.withColumn(
        "split",
        when(col("__key__").substr(8, 4).cast("int").mod(3).equalTo(0), lit("train"))
            .when(col("__key__").substr(8, 4).cast("int").mod(3).equalTo(1), lit("val")));
  }

  /** Each sample's members and partition values as text, by key, jpg bytes as they are. */
  private static Map<String, List<Object>> byKey(Dataset<Row> df, String... partitions) {
    Map<String, List<Object>> out = new TreeMap<>();
    List<String> columns = new ArrayList<>(List.of("__key__", "jpg", "cls", "txt"));
    columns.addAll(List.of(partitions));
    for (Row r : df.selectExpr(columns.toArray(new String[0])).collectAsList()) {
      List<Object> values = new ArrayList<>();
      values.add(new String((byte[]) r.get(1), StandardCharsets.ISO_8859_1));
      values.add(r.isNullAt(2) ? null : text(r.get(2)));
      values.add(r.isNullAt(3) ? null : text(r.get(3)));
      for (int i = 4; i < r.size(); i++) {
        values.add(r.get(i));
      }
      out.put(r.getString(0), values);
    }
    return out;
  }

  private static String text(Object value) {
    return value instanceof byte[]
        ? new String((byte[]) value, StandardCharsets.UTF_8)
        : value.toString();
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void eachPartitionGetsItsOwnShardsAndIndexesAndReadsBackExactly(String shardNames)
      throws Exception {
    String out = "splits-" + shardNames + "/";
    Dataset<Row> df = splits();
    writer(df).option("shardNames", shardNames).partitionBy("split").save(path(out));

    List<String> dirs = List.of("split=" + DEFAULT + "/", "split=train/", "split=val/");
    List<String> got = names(out);
    JsonNode manifest =
        new ObjectMapper().readTree(client.getBytes(bucket, out + "_manifest.json"));
    List<String> expected = new ArrayList<>(List.of(out + "_manifest.json"));
    if (shardNames.equals("sequential")) {
      for (String dir : dirs) {
        for (int i = 0; i < 3; i++) {
          expected.add(out + dir + "shard-00000" + i + ".tar");
          expected.add(out + dir + "shard-00000" + i + ".tar.idx");
        }
      }
    } else {
      for (JsonNode s : manifest.path("shards")) {
        expected.add(s.path("name").asText());
        expected.add(s.path("index").asText());
      }
      for (String dir : dirs) {
        assertEquals(6, got.stream().filter(n -> n.startsWith(out + dir + "shard-")).count(), dir);
      }
    }
    expected.sort(null);
    assertEquals(expected, got, "3 shards and their indexes per partition, the manifest");

    assertEquals(9, manifest.path("shards").size());
    for (JsonNode s : manifest.path("shards")) {
      String name = s.path("name").asText();
      JsonNode split = s.path("partition").path("split");
      String dir = split.isNull() ? DEFAULT : split.asText();
      assertTrue(name.startsWith(out + "split=" + dir + "/"), name + " " + s);
    }

    Dataset<Row> back = read(out);
    StructField last = back.schema().fields()[back.schema().size() - 1];
    assertEquals("split", last.name());
    assertEquals(DataTypes.StringType, last.dataType());
    assertEquals(byKey(df, "split"), byKey(back, "split"));
    assertEquals(
        List.of("__key__", "__url__", "cls", "jpg", "txt", "split"),
        List.of(back.schema().fieldNames()),
        "the partition column is not a member");
  }

  @Test
  void filtersOnThePartitionColumnOpenOnlyThatPartitionsShards() throws Exception {
    writer(splits()).partitionBy("split").save(path("pruned/"));
    Dataset<Row> all = read("pruned/");

    Dataset<Row> train = all.where("split = 'train'");
    assertEquals(List.of("sample_0000", "sample_0003", "sample_0006", "sample_0009"), keys(train));
    assertEquals(3L, ScanMetrics.of(train).get("aisShards"), "only split=train's shards");

    Dataset<Row> nulls = all.where("split IS NULL");
    assertEquals(List.of("sample_0002", "sample_0005", "sample_0008", "sample_0011"), keys(nulls));
    assertEquals(3L, ScanMetrics.of(nulls).get("aisShards"));

    Dataset<Row> notTrain = all.where("split IN ('val', 'test') OR split > 'u'");
    assertEquals(4, keys(notTrain).size());
    assertEquals(3L, ScanMetrics.of(notTrain).get("aisShards"));

    Dataset<Row> both = all.where("split <> 'val'");
    assertEquals(4, keys(both).size(), "null is not <> 'val'");
    assertEquals(3L, ScanMetrics.of(both).get("aisShards"));

    Dataset<Row> keyed = all.where("split = 'train' AND __key__ IN ('sample_0003', 'sample_0004')");
    assertEquals(List.of("sample_0003"), keys(keyed), "a key filter and a partition filter");
    assertEquals(3L, ScanMetrics.of(keyed).get("aisShards"));

    Dataset<Row> mixed = all.where("split = 'train' AND cls = CAST('3' AS BINARY)");
    assertEquals(List.of("sample_0003"), keys(mixed));
    assertEquals(3L, ScanMetrics.of(mixed).get("aisShards"));
  }

  private static List<String> keys(Dataset<Row> df) {
    // The query itself runs, so that its scan's metrics are those of this read.
    return df.collectAsList().stream()
        .map(r -> r.<String>getAs("__key__"))
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void nestedTypedAndEscapedPartitionsRoundTrip() throws Exception {
    String odd = "a/b=c%d:e?f#g";
    Dataset<Row> df =
        ShardWriteIT.samples(8, 2)
            .withColumn("year", when(col("cls").lt(4), lit(2024)).otherwise(lit(2025)))
            .withColumn("tag", when(col("cls").mod(2).equalTo(0), lit(odd)).otherwise(lit("x y")));
    writer(df).partitionBy("year", "tag").save(path("nested/"));

    assertEquals(
        List.of(
            "nested/_manifest.json",
            "nested/year=2024/tag=a%2Fb%3Dc%25d%3Ae%3Ff%23g/shard-000000.tar",
            "nested/year=2024/tag=a%2Fb%3Dc%25d%3Ae%3Ff%23g/shard-000000.tar.idx",
            "nested/year=2024/tag=x y/shard-000000.tar",
            "nested/year=2024/tag=x y/shard-000000.tar.idx",
            "nested/year=2025/tag=a%2Fb%3Dc%25d%3Ae%3Ff%23g/shard-000000.tar",
            "nested/year=2025/tag=a%2Fb%3Dc%25d%3Ae%3Ff%23g/shard-000000.tar.idx",
            "nested/year=2025/tag=x y/shard-000000.tar",
            "nested/year=2025/tag=x y/shard-000000.tar.idx"),
        names("nested/"));

    Dataset<Row> back = read("nested/");
    assertEquals(DataTypes.IntegerType, back.schema().apply("year").dataType());
    assertEquals(DataTypes.StringType, back.schema().apply("tag").dataType());
    assertEquals(byKey(df, "year", "tag"), byKey(back, "year", "tag"));

    Dataset<Row> odd2025 = back.where("year > 2024 AND tag = '" + odd + "'");
    assertEquals(List.of("sample_0004", "sample_0006"), keys(odd2025));
    assertEquals(1L, ScanMetrics.of(odd2025).get("aisShards"));

    Dataset<Row> oneDir = read("nested/year=2025/");
    assertEquals(
        List.of("__key__", "__url__", "cls", "jpg", "txt", "tag"),
        List.of(oneDir.schema().fieldNames()),
        "below year=2025/ only tag is a partition column, as in Spark");
    assertEquals(4, oneDir.count());
    Dataset<Row> withBase =
        TestSpark.aisReader("webdataset")
            .option("basePath", path("nested/"))
            .load(path("nested/year=2025/"));
    assertEquals(byKey(df.where("year = 2025"), "year", "tag"), byKey(withBase, "year", "tag"));

    Dataset<Row> asStrings =
        TestSpark.aisReader("webdataset")
            .schema("__key__ STRING, jpg BINARY, cls BINARY, txt BINARY, year STRING, tag STRING")
            .load(path("nested/"));
    assertEquals(DataTypes.StringType, asStrings.schema().apply("year").dataType());
    assertEquals(
        List.of("sample_0000", "sample_0002"),
        keys(asStrings.where("year = '2024' AND tag = '" + odd + "'")));
  }

  @Test
  void overwriteReplacesEveryPartitionAndDynamicOverwriteIsRefused() throws Exception {
    writer(splits()).partitionBy("split").save(path("over/"));
    Dataset<Row> next = ShardWriteIT.samples(2, 1).withColumn("split", lit("test"));
    writer(next).mode("overwrite").partitionBy("split").save(path("over/"));
    assertEquals(
        List.of(
            "over/_manifest.json",
            "over/split=test/shard-000000.tar",
            "over/split=test/shard-000000.tar.idx"),
        names("over/"));
    assertEquals(byKey(next, "split"), byKey(read("over/"), "split"));

    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    try {
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      writer(splits()).mode("overwrite").partitionBy("split").save(path("over/"))));
      assertTrue(
          messages.contains("spark.sql.sources.partitionOverwriteMode is dynamic"), messages);
    } finally {
      spark.conf().unset("spark.sql.sources.partitionOverwriteMode");
    }
    assertEquals(3, names("over/").size(), "nothing changed");
  }

  @Test
  void anAppendNumbersOnInEachDirectoryAndTypeInferenceCanBeTurnedOff() throws Exception {
    Dataset<Row> first = ShardWriteIT.samples(2, 1).withColumn("n", lit(7));
    writer(first).partitionBy("n").save(path("append/"));
    Dataset<Row> second =
        ShardWriteIT.samples(4, 1)
            .where("__key__ >= 'sample_0002'")
            .withColumn("n", when(col("cls").equalTo(2), lit(7)).otherwise(lit(8)));
    writer(second).mode("append").partitionBy("n").save(path("append/"));
    assertEquals(
        List.of(
            "append/_manifest.json",
            "append/n=7/shard-000000.tar",
            "append/n=7/shard-000000.tar.idx",
            "append/n=7/shard-000001.tar",
            "append/n=7/shard-000001.tar.idx",
            "append/n=8/shard-000000.tar",
            "append/n=8/shard-000000.tar.idx"),
        names("append/"));
    Dataset<Row> back = read("append/");
    assertEquals(DataTypes.IntegerType, back.schema().apply("n").dataType());
    assertEquals(byKey(first.union(second), "n"), byKey(back, "n"));

    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    try {
      assertEquals(DataTypes.StringType, read("append/").schema().apply("n").dataType());
    } finally {
      spark.conf().unset("spark.sql.sources.partitionColumnTypeInference.enabled");
    }
  }

  @Test
  void aFailedPartitionedOverwriteLeavesTheOldDataAsItWas() throws Exception {
    writer(splits()).partitionBy("split").save(path("failed/"));
    List<String> before = names("failed/");
    byte[] manifest = client.getBytes(bucket, "failed/_manifest.json");
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failNextRequest("^PUT /v1/objects/" + bucket.name() + "/failed/_manifest\\.json", 403);
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      writer(
                              ShardWriteIT.samples(6, 2).withColumn("split", lit("other")),
                              proxy.uri().toString())
                          .mode("overwrite")
                          .partitionBy("split")
                          .save(path("failed/"))));
      assertTrue(
          messages.contains("The write was undone: the path holds what it held before."), messages);
    }
    assertEquals(before, names("failed/"));
    assertArrayEquals(manifest, client.getBytes(bucket, "failed/_manifest.json"));
    assertEquals(byKey(splits(), "split"), byKey(read("failed/"), "split"));
  }

  @Test
  void inconsistentDirectoriesFailTheReadNamingTheShards() throws Exception {
    byte[] tar = shard().add("k.jpg", "J").tar();
    client.put(bucket, "mixed/split=a/s0.tar", tar);
    client.put(bucket, "mixed/s1.tar", tar);
    String mixed = ObjectReadIT.rootMessages(assertThrows(Exception.class, () -> read("mixed/")));
    assertTrue(
        mixed.startsWith("Conflicting directory structures: shard ais://" + bucket.name())
            && mixed.contains("/mixed/split=a/s0.tar has partition columns [split]")
            && mixed.contains("/mixed/s1.tar has no partition directories"),
        mixed);

    client.put(bucket, "between/x/split=a/s0.tar", tar);
    String between =
        ObjectReadIT.rootMessages(assertThrows(Exception.class, () -> read("between/")));
    assertTrue(between.contains("'x/split=a/s0.tar' mixes partition directories"), between);

    client.put(bucket, "clash/jpg=1/s0.tar", tar);
    String clash = ObjectReadIT.rootMessages(assertThrows(Exception.class, () -> read("clash/")));
    assertTrue(clash.contains("name the column 'jpg' that the samples have too"), clash);
  }

  @Test
  void columnsThatCannotPartitionAreRefusedBeforeAnyTaskRuns() throws Exception {
    Dataset<Row> df = splits().withColumn("when", col("cls").cast("timestamp"));
    Map<String, String> refusals =
        Map.of(
            "__key__", "Cannot partition by __key__",
            "jpg", "Cannot partition by column 'jpg' of type binary",
            "when", "Cannot partition by column 'when' of type timestamp",
            "nope", "partitionBy column 'nope' is not among the written columns");
    for (Map.Entry<String, String> r : refusals.entrySet()) {
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () -> writer(df).partitionBy(r.getKey()).save(path("refused/"))));
      assertTrue(messages.contains(r.getValue()), messages);
    }
    String objects =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    spark
                        .range(2)
                        .selectExpr("CAST(id AS STRING) AS name", "CAST(id AS STRING) AS content")
                        .write()
                        .format("ais")
                        .option("endpoint", AisTestCluster.endpoint().toString())
                        .partitionBy("content")
                        .save(path("refused/"))));
    assertTrue(objects.contains("partitionBy is for layout webdataset"), objects);
    assertEquals(List.of(), names("refused/"));
  }
}
