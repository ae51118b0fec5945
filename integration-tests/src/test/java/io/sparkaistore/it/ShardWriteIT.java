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
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    return spark
        .range(0, n, 1, partitions)
        .select(
            format_string("sample_%04d", col("id")).as("__key__"),
            concat(lit("jpeg-bytes-"), col("id").cast("string")).cast("binary").as("jpg"),
            col("id").mod(10).cast("int").as("cls"),
            when(col("id").mod(3).notEqual(0), concat(lit("caption "), col("id").cast("string")))
                .as("txt"));
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df) {
    return df.write()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset");
  }

  private static Dataset<Row> readBack(String path) {
    return spark
        .read()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset")
        .load(path);
  }

  private static List<Long> samplesPerShard(JsonNode manifest) {
    List<Long> out = new java.util.ArrayList<>();
    manifest.path("shards").forEach(s -> out.add(s.path("samples").asLong()));
    return out;
  }

  private List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .collect(Collectors.toList());
  }

  /** The shards under {@code prefix}, without their DALI indexes. */
  private List<String> shards(String prefix) throws Exception {
    return names(prefix + "shard-").stream()
        .filter(n -> !n.endsWith(".idx"))
        .collect(Collectors.toList());
  }

  @Test
  void roundTripIsByteExactWithManifest() throws Exception {
    // Partitions of 8, 8 and 9 samples, four per shard: 2 + 2 + 3 shards, numbered in partition
    // order.
    writer(samples(25, 3)).option("maxSamplesPerShard", "4").save(path("round/"));
    List<String> expectedNames = new java.util.ArrayList<>(List.of("round/_manifest.json"));
    for (int i = 0; i < 7; i++) {
      expectedNames.add(String.format("round/shard-%06d.tar", i));
      expectedNames.add(String.format("round/shard-%06d.tar.idx", i)); // its DALI index
    }
    assertEquals(expectedNames, names("round/"));
    List<Row> rows = readBack(path("round/")).orderBy("__key__").collectAsList();
    assertEquals(25, rows.size());
    for (int i = 0; i < 25; i++) {
      Row r = rows.get(i);
      assertEquals(String.format("sample_%04d", i), r.getString(r.fieldIndex("__key__")));
      assertArrayEquals(
          ("jpeg-bytes-" + i).getBytes(StandardCharsets.UTF_8),
          (byte[]) r.get(r.fieldIndex("jpg")));
      assertEquals(
          String.valueOf(i % 10),
          new String((byte[]) r.get(r.fieldIndex("cls")), StandardCharsets.UTF_8));
      Object txt = r.get(r.fieldIndex("txt"));
      if (i % 3 == 0) {
        assertNull(txt);
      } else {
        assertEquals("caption " + i, new String((byte[]) txt, StandardCharsets.UTF_8));
      }
    }
    JsonNode manifest = manifest("round/");
    assertEquals(25, manifest.path("samples").asLong());
    assertEquals(7, manifest.path("shards").size());
    assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L, 1L), samplesPerShard(manifest));
    assertEquals("round/shard-000000.tar", manifest.path("shards").get(0).path("name").asText());
  }

  private static Dataset<Row> binarySamples(int n, int bytes, int partitions) {
    return spark
        .range(0, n, 1, partitions)
        .select(
            format_string("s%04d", col("id")).as("__key__"),
            functions.expr("unhex(repeat('ab', " + bytes + "))").as("bin"));
  }

  private long objectSize(String name) throws Exception {
    return client.headObject(bucket, name).size();
  }

  @Test
  void shardsRollByBytesBeforeTheyWouldGrowPastTheLimit() throws Exception {
    // A sample of one 1000-byte member takes 512 + 1024 bytes of tar; the end of archive takes
    // 1024.
    long limit = 3 * 1536 + 1024;
    writer(binarySamples(10, 1000, 1))
        .option("maxShardBytes", String.valueOf(limit))
        .save(path("bybytes/"));
    JsonNode manifest = manifest("bybytes/");
    assertEquals(List.of(3L, 3L, 3L, 1L), samplesPerShard(manifest));
    assertEquals(limit, objectSize("bybytes/shard-000000.tar"));
    assertEquals(10, readBack(path("bybytes/")).count());

    writer(binarySamples(3, 1000, 1)).option("maxShardBytes", "1k").save(path("oversized/"));
    assertEquals(
        List.of(1L, 1L, 1L),
        samplesPerShard(manifest("oversized/")),
        "a larger sample gets its own shard");
  }

  @Test
  void shardsUploadedInPartsAreReadWithAnInferredSchema() throws Exception {
    // Parts of 8 KiB: every shard is a multipart upload, which AIS 5.0 does not list the members
    // of.
    writer(samples(40, 2)).option("uploadPartSize", "8k").save(path("parts/"));
    Dataset<Row> read = readBack(path("parts/"));
    assertEquals(
        List.of("__key__", "__url__", "cls", "jpg", "txt"), List.of(read.schema().fieldNames()));
    assertEquals(40, read.where(col("jpg").isNotNull()).count());
  }

  @Test
  void gzipShardsRoundTrip() throws Exception {
    writer(samples(12, 2))
        .option("compression", "gzip")
        .option("maxSamplesPerShard", "100")
        .save(path("gz/"));
    assertEquals(
        List.of("gz/_manifest.json", "gz/shard-000000.tar.gz", "gz/shard-000001.tar.gz"),
        names("gz/"));
    assertEquals(12, readBack(path("gz/")).count());
  }

  @Test
  void twoWritesOfTheSameDataAreIdenticalBytes() throws Exception {
    writer(samples(30, 3)).option("maxSamplesPerShard", "4").save(path("same-a/"));
    writer(samples(30, 3)).option("maxSamplesPerShard", "4").save(path("same-b/"));
    List<String> a = names("same-a/shard-");
    assertEquals(18, a.size(), "9 shards and their indexes");
    for (String name : a) {
      assertArrayEquals(
          client.getBytes(bucket, name),
          client.getBytes(bucket, name.replace("same-a/", "same-b/")),
          name);
    }
  }

  @Test
  void saveModesBehaveAsForAPathDirectory() throws Exception {
    writer(samples(5, 1)).save(path("modes/"));
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(Exception.class, () -> writer(samples(5, 1)).save(path("modes/"))));
    assertTrue(
        messages.contains("objects already exist under it (save mode errorifexists"), messages);

    writer(samples(7, 1)).mode("ignore").save(path("modes/"));
    assertEquals(5, readBack(path("modes/")).count());

    writer(samples(7, 1)).mode("append").save(path("modes/"));
    assertEquals(
        List.of(
            "modes/_manifest.json",
            "modes/shard-000000.tar",
            "modes/shard-000000.tar.idx",
            "modes/shard-000001.tar",
            "modes/shard-000001.tar.idx"),
        names("modes/"));
    assertEquals(List.of(5L, 7L), samplesPerShard(manifest("modes/")));
    assertEquals(12, readBack(path("modes/")).count());

    client.put(bucket, "modes/stray.bin", new byte[] {1});
    writer(samples(3, 1)).mode("overwrite").save(path("modes/"));
    // Numbered after the shards it replaces, so a failed overwrite would have left those untouched.
    assertEquals(
        List.of("modes/_manifest.json", "modes/shard-000002.tar", "modes/shard-000002.tar.idx"),
        names("modes/"));
    assertEquals(List.of(3L), samplesPerShard(manifest("modes/")));
    assertEquals(3, readBack(path("modes/")).count());

    writer(samples(2, 1)).mode("ignore").save(path("modes-new/"));
    assertEquals(2, readBack(path("modes-new/")).count(), "ignore writes where nothing is");
  }

  /**
   * What the UI shows is the committed totals, not those plus what the tasks reported on the way.
   */
  @Test
  void writeMetricsInTheUiAreTheCommittedTotals() throws Exception {
    Map<String, Long> metrics =
        WriteMetricsOf.save(
            spark,
            () ->
                writer(samples(300, 3)).option("maxSamplesPerShard", "40").save(path("metrics/")));
    // 40 + 40 + 20 in each partition.
    assertEquals(9L, metrics.get("aisShardsWritten"), metrics.toString());
    assertEquals(300L, metrics.get("aisSamplesWritten"), metrics.toString());
    assertEquals(0L, metrics.get("aisObjectsWritten"), metrics.toString());
    long bytes = 0;
    for (String name : shards("metrics/")) {
      bytes += objectSize(name);
    }
    assertEquals(bytes, metrics.get("aisBytesWritten"), metrics.toString());
  }

  @Test
  void sessionOptionsApplyToWrites() throws Exception {
    spark.conf().set("spark.datasource.ais.maxSamplesPerShard", "2");
    try {
      writer(samples(5, 1)).save(path("session/"));
    } finally {
      spark.conf().unset("spark.datasource.ais.maxSamplesPerShard");
    }
    assertEquals(List.of(2L, 2L, 1L), samplesPerShard(manifest("session/")));
  }

  @Test
  void objectsLayoutWritesOneObjectPerRow() throws Exception {
    Dataset<Row> rows =
        spark
            .range(0, 6, 1, 2)
            .select(
                format_string("dir/obj-%d.bin", col("id")).as("name"),
                concat(lit("content "), col("id").cast("string")).cast("binary").as("content"));
    rows.write()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .save(path("objs"));
    assertEquals(
        List.of(
            "objs/dir/obj-0.bin",
            "objs/dir/obj-1.bin",
            "objs/dir/obj-2.bin",
            "objs/dir/obj-3.bin",
            "objs/dir/obj-4.bin",
            "objs/dir/obj-5.bin"),
        names("objs/"));
    assertEquals(
        "content 4",
        new String(client.getBytes(bucket, "objs/dir/obj-4.bin"), StandardCharsets.UTF_8));

    String clash =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    rows.write()
                        .format("ais")
                        .option("endpoint", AisTestCluster.endpoint().toString())
                        .mode("append")
                        .save(path("objs"))));
    assertTrue(
        clash.contains("Object 'objs/dir/obj-0.bin' already exists")
            || clash.contains("already exists under"),
        clash);
    assertEquals(
        "content 4",
        new String(client.getBytes(bucket, "objs/dir/obj-4.bin"), StandardCharsets.UTF_8));

    Dataset<Row> extra = rows.withColumn("size", lit(1));
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    extra
                        .write()
                        .format("ais")
                        .option("endpoint", AisTestCluster.endpoint().toString())
                        .mode("append")
                        .save(path("objs"))));
    assertTrue(messages.contains("takes rows (name, content)"), messages);
  }

  @Test
  void refusedKeyAndColumnTypeSayWhy() {
    Dataset<Row> dotted = samples(3, 1).withColumn("__key__", concat(col("__key__"), lit(".v2")));
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(Exception.class, () -> writer(dotted).save(path("bad-key/"))));
    assertTrue(
        messages.contains("Invalid __key__ 'sample_0000.v2'")
            && messages.contains("would come back as key 'sample_0000'"),
        messages);
    Dataset<Row> doubles = samples(3, 1).withColumn("score", lit(0.5));
    messages =
        ObjectReadIT.rootMessages(
            assertThrows(Exception.class, () -> writer(doubles).save(path("bad-type/"))));
    assertTrue(
        messages.contains("Column 'score' is double") && messages.contains("cast(\"string\")"),
        messages);
    Dataset<Row> keyless = samples(3, 1).drop("__key__");
    messages =
        ObjectReadIT.rootMessages(
            assertThrows(Exception.class, () -> writer(keyless).save(path("no-key/"))));
    assertTrue(messages.contains("needs a STRING column __key__"), messages);
  }

  @Test
  void shardsNamedByPartitionAreTheSameBytesPublishedUnderTheirOwnNames() throws Exception {
    writer(samples(25, 3)).option("maxSamplesPerShard", "4").save(path("numbered/"));
    writer(samples(25, 3))
        .option("maxSamplesPerShard", "4")
        .option("shardNames", "partition")
        .save(path("bypart/"));
    List<String> shards = shards("bypart/");
    String tag = shards.get(0).substring("bypart/shard-".length(), "bypart/shard-".length() + 12);
    List<String> expected =
        List.of(
                "00000-0000",
                "00000-0001",
                "00001-0000",
                "00001-0001",
                "00002-0000",
                "00002-0001",
                "00002-0002")
            .stream()
            .map(n -> "bypart/shard-" + tag + "-" + n + ".tar")
            .collect(Collectors.toList());
    assertEquals(expected, shards, "partitions of 8, 8 and 9 samples, four per shard");
    List<String> numbered = shards("numbered/");
    for (int i = 0; i < shards.size(); i++) {
      assertArrayEquals(
          client.getBytes(bucket, numbered.get(i)),
          client.getBytes(bucket, shards.get(i)),
          shards.get(i));
    }
    List<String> listed = new java.util.ArrayList<>();
    manifest("bypart/").path("shards").forEach(s -> listed.add(s.path("name").asText()));
    assertEquals(shards, listed);
    assertTrue(names("bypart/_temporary/").isEmpty());

    // Parts of 4 KiB: every shard of the append is a pending upload of several parts.
    writer(samples(10, 2))
        .option("maxSamplesPerShard", "4")
        .option("shardNames", "partition")
        .option("uploadPartSize", "4k")
        .mode("append")
        .save(path("bypart/"));
    assertEquals(11, shards("bypart/").size());
    assertEquals(22, names("bypart/shard-").size(), "every shard with its index");
    assertEquals(35, readBack(path("bypart/")).count());
    assertEquals(
        List.of(4L, 4L, 4L, 4L, 4L, 4L, 1L, 4L, 1L, 4L, 1L), samplesPerShard(manifest("bypart/")));

    writer(samples(3, 1)).option("shardNames", "partition").mode("overwrite").save(path("bypart/"));
    assertEquals(2, names("bypart/shard-").size(), "the shard and its index");
    assertEquals(3, readBack(path("bypart/")).count());
  }

  @Test
  void failedCompletionFailsTheWriteAndKeepsWhatWasThere() throws Exception {
    writer(samples(3, 1)).save(path("completion/"));
    List<String> before = names("completion/");
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      // The job commit completing a pending upload.
      proxy.failNextRequest("^POST [^ ]*[?&]uploadId=", 404);
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      samples(12, 3)
                          .write()
                          .format("ais")
                          .option("endpoint", proxy.uri().toString())
                          .option("layout", "webdataset")
                          .option("maxSamplesPerShard", "2")
                          .option("shardNames", "partition")
                          .mode("overwrite")
                          .save(path("completion/"))));
      assertTrue(
          messages.contains("Cannot commit the write to")
              && messages.contains("injected by FaultProxy"),
          messages);
    }
    assertEquals(
        before,
        names("completion/"),
        "the failed overwrite removed its completed shards and nothing else");
    assertEquals(3, readBack(path("completion/")).count());
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void taskThatFailsMidShardThenSucceedsLeavesOneCopyOfEverySample(String shardNames)
      throws Exception {
    // The first attempt of the task that writes sample 7 fails after samples 0-6 went into its
    // shard.
    UserDefinedFunction failOnce =
        functions.udf(
            (UDF1<Long, Long>)
                id -> {
                  if (id == 7 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure at sample 7");
                  }
                  return id;
                },
            DataTypes.LongType);
    Dataset<Row> df =
        spark
            .range(0, 20, 1, 2)
            .select(failOnce.apply(col("id")).as("id"))
            .select(
                format_string("sample_%04d", col("id")).as("__key__"),
                col("id").cast("string").as("txt"));
    FailedTasks failed = new FailedTasks(spark);
    spark.sparkContext().addSparkListener(failed);
    try {
      writer(df)
          .option("maxSamplesPerShard", "3")
          .option("shardNames", shardNames)
          .save(path("retry-" + shardNames + "/"));
      List<String> reasons = failed.reasons();
      assertEquals(1, reasons.size(), reasons.toString());
      assertTrue(
          reasons.get(0).contains("java.lang.IllegalStateException: injected failure at sample 7"),
          reasons.get(0));
    } finally {
      spark.sparkContext().removeSparkListener(failed);
    }
    List<String> keys =
        readBack(path("retry-" + shardNames + "/")).select("__key__").collectAsList().stream()
            .map(r -> r.getString(0))
            .sorted()
            .collect(Collectors.toList());
    assertEquals(20, keys.size());
    assertEquals(20, keys.stream().distinct().count());
    assertTrue(names("retry-" + shardNames + "/_temporary/").isEmpty());
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void abortedJobLeavesNoObjects(String shardNames) throws Exception {
    UserDefinedFunction alwaysFails =
        functions.udf(
            (UDF1<Long, Long>)
                id -> {
                  if (id == 15) {
                    throw new IllegalStateException("injected failure at sample 15");
                  }
                  return id;
                },
            DataTypes.LongType);
    Dataset<Row> df =
        spark
            .range(0, 20, 1, 2)
            .select(alwaysFails.apply(col("id")).as("id"))
            .select(
                format_string("sample_%04d", col("id")).as("__key__"),
                col("id").cast("string").as("txt"));
    String out = "aborted-" + shardNames + "/";
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                SparkException.class,
                () ->
                    writer(df)
                        .option("maxSamplesPerShard", "3")
                        .option("shardNames", shardNames)
                        .save(path(out))));
    assertTrue(
        messages.contains("java.lang.IllegalStateException: injected failure at sample 15"),
        messages);
    assertEquals(List.of(), names(out));
  }

  private JsonNode manifest(String prefix) throws Exception {
    return new ObjectMapper().readTree(client.getBytes(bucket, prefix + "_manifest.json"));
  }
}
