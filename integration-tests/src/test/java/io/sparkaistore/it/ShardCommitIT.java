package io.sparkaistore.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webdataset layout's commit protocol under real failures: the manifest is the commit point (a
 * failure before it leaves the path as it was; after it, the manifest lists the complete new
 * output), answers lost at commit are recovered, and duplicate keys fail the write.
 */
class ShardCommitIT {
  private static final SparkSession spark = TestSpark.session();
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "shard-commit");
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
        .option("maxSamplesPerShard", "2");
  }

  private static long readCount(String prefix) {
    return spark
        .read()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset")
        .load(path(prefix))
        .count();
  }

  private static List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .collect(Collectors.toList());
  }

  private static List<String> manifestShards(String prefix) throws Exception {
    List<String> out = new ArrayList<>();
    new ObjectMapper()
        .readTree(client.getBytes(bucket, prefix + "_manifest.json"))
        .path("shards")
        .forEach(s -> out.add(s.path("name").asText()));
    return out;
  }

  @Test
  void duplicateKeyInAShardFailsTheWriteNamingIt() throws Exception {
    Dataset<Row> df =
        ShardWriteIT.samples(6, 1)
            .withColumn(
                "__key__",
                when(col("__key__").equalTo("sample_0004"), lit("sample_0001"))
                    .otherwise(col("__key__")));
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    writer(df, AisTestCluster.endpoint().toString())
                        .option("maxSamplesPerShard", "10")
                        .save(path("dup/"))));
    assertTrue(messages.contains("Duplicate __key__ 'sample_0001' in partition 0"), messages);
    assertEquals(List.of(), names("dup/"));
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void answerLostWhilePublishingIsRecovered(String shardNames) throws Exception {
    String out = "lost-" + shardNames + "/";
    // The rename of a staged shard, or the completion of a pending upload.
    String publish =
        shardNames.equals("sequential")
            ? "^POST /v1/objects/" + bucket.name() + "/" + out + "_temporary/[^/_]+/\\d"
            : "^POST [^ ]*[?&]uploadId=";
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.loseAnswerToNextRequest(publish);
      writer(ShardWriteIT.samples(12, 3), proxy.uri().toString())
          .option("shardNames", shardNames)
          .save(path(out));
      assertEquals(1, proxy.lostAnswers());
    }
    assertEquals(12, readCount(out));
    assertEquals(6, manifestShards(out).size());
  }

  @Test
  void failureWritingTheManifestUndoesTheWrite() throws Exception {
    writer(ShardWriteIT.samples(3, 1), AisTestCluster.endpoint().toString())
        .save(path("manifest/"));
    List<String> before = names("manifest/");
    byte[] manifest = client.getBytes(bucket, "manifest/_manifest.json");
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failNextRequest(
          "^PUT /v1/objects/" + bucket.name() + "/manifest/_manifest\\.json", 403);
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      writer(ShardWriteIT.samples(12, 3), proxy.uri().toString())
                          .mode("overwrite")
                          .save(path("manifest/"))));
      assertTrue(
          messages.contains("injected by FaultProxy")
              && messages.contains("The write was undone: the path holds what it held before."),
          messages);
    }
    assertEquals(before, names("manifest/"));
    assertArrayEquals(manifest, client.getBytes(bucket, "manifest/_manifest.json"));
    assertEquals(3, readCount("manifest/"));
  }

  @Test
  void failureAfterTheManifestLeavesTheCompleteNewOutputListed() throws Exception {
    writer(ShardWriteIT.samples(4, 1), AisTestCluster.endpoint().toString()).save(path("after/"));
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failRequests(
          "^DELETE /v1/objects/" + bucket.name() + "/after/shard-000000\\.tar", 403, 0, 100);
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      writer(ShardWriteIT.samples(6, 1), proxy.uri().toString())
                          .mode("overwrite")
                          .save(path("after/"))));
      assertTrue(
          messages.contains(
                  "is committed (the new objects are in place and listed in after/_manifest.json)")
              && messages.contains("could not be removed: [after/shard-000000.tar")
              && messages.contains("injected by FaultProxy"),
          messages);
    }
    List<String> listed = manifestShards("after/");
    assertEquals(
        List.of("after/shard-000002.tar", "after/shard-000003.tar", "after/shard-000004.tar"),
        listed);
    for (String shard : listed) {
      client.headObject(bucket, shard);
    }
    assertEquals(
        List.of(
            "after/_manifest.json",
            "after/shard-000000.tar",
            "after/shard-000000.tar.idx",
            "after/shard-000002.tar",
            "after/shard-000002.tar.idx",
            "after/shard-000003.tar",
            "after/shard-000003.tar.idx",
            "after/shard-000004.tar",
            "after/shard-000004.tar.idx"),
        names("after/"),
        "only the shard that could not be removed is left, with its index");
  }

  @Test
  void shardsThatCannotBeRemovedAfterAFailedCommitAreNamedInTheError() throws Exception {
    String messages =
        failedCommit(
            "partial/",
            proxy -> {
              // Two shards and their indexes are renamed into place, then the third index fails.
              proxy.failRequests(
                  "^POST /v1/objects/" + bucket.name() + "/partial/_temporary/[^/_]+/\\d",
                  403,
                  4,
                  1);
              proxy.failRequests(
                  "^DELETE /v1/objects/" + bucket.name() + "/partial/shard-", 403, 0, 1000);
            });
    assertTrue(
        messages.contains("injected by FaultProxy")
            && messages.contains(
                "new object(s) are still under their final names: [partial/shard-000000.tar ("),
        messages);
    String first = messages.substring(0, messages.indexOf(" | "));
    Matcher named = Pattern.compile("(partial/shard-\\d{6}\\.tar(?:\\.idx)?) \\(").matcher(first);
    List<String> left = new ArrayList<>();
    while (named.find()) {
      left.add(named.group(1));
    }
    assertTrue(left.size() >= 4, messages);
    left.sort(null);
    assertEquals(
        left,
        names("partial/"),
        "exactly what the error names is left (each shard with its index), and nothing staged");
  }

  @Test
  void anUndoDeletesTheIndexOfAShardThatNeverCameWhenDeletingTheShardFails() throws Exception {
    String messages =
        failedCommit(
            "orphan/",
            proxy -> {
              // Shard 0 and its index, then index 1 are renamed into place; shard 1's rename
              // fails, and so does the undo's delete of shard 1, which never came.
              proxy.failRequests(
                  "^POST /v1/objects/" + bucket.name() + "/orphan/_temporary/[^/_]+/\\d",
                  403,
                  3,
                  1);
              proxy.failRequests(
                  "^DELETE /v1/objects/" + bucket.name() + "/orphan/shard-000001\\.tar[? ]",
                  403,
                  0,
                  1000);
            });
    assertTrue(
        messages.contains("injected by FaultProxy")
            && messages.contains("The write was undone: the path holds what it held before."),
        messages);
    assertEquals(List.of(), names("orphan/"), "no index is left without its shard");
  }

  /**
   * The root messages of the failure of a write of 12 samples in 3 tasks to {@code prefix}, its
   * commit one step at a time, through a fault proxy that {@code faults} arms.
   */
  private static String failedCommit(String prefix, Consumer<FaultProxy> faults) throws Exception {
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      faults.accept(proxy);
      return ObjectReadIT.rootMessages(
          assertThrows(
              Exception.class,
              () ->
                  writer(ShardWriteIT.samples(12, 3), proxy.uri().toString())
                      .option("commitThreads", "1")
                      .save(path(prefix))));
    }
  }

  @Test
  void keysRepeatedAcrossTasksAreWrittenAsSeparateSamples() throws Exception {
    Dataset<Row> df =
        spark
            .range(0, 4, 1, 2)
            .select(
                format_string("k%d", col("id").mod(2)).as("__key__"),
                col("id").cast("string").as("txt"));
    writer(df, AisTestCluster.endpoint().toString()).save(path("across/"));
    assertEquals(
        4, readCount("across/"), "not checked across shards: each shard holds each key once");
  }
}
