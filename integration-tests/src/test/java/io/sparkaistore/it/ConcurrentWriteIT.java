package io.sparkaistore.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writers that commit to one path at the same time: each job commit takes the path's commit lock,
 * so appends neither number shards alike nor lose each other's manifest entries; a lock whose
 * holder died fails the write, naming it.
 */
class ConcurrentWriteIT {
  private static final SparkSession spark = TestSpark.session();
  private static final int ROUNDS = 4;
  private static final int WRITERS = 3;
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "concurrent-write");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  /**
   * Six samples w<writer>_r<round>_<i> in two partitions, two samples per shard: four shards per
   * write.
   */
  private static DataFrameWriter<Row> append(int writer, int round, String shardNames) {
    String tag = "w" + writer + "_r" + round + "_";
    return spark
        .range(0, 6, 1, 2)
        .select(
            format_string(tag + "%d", col("id")).as("__key__"), col("id").cast("string").as("txt"))
        .write()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset")
        .option("maxSamplesPerShard", "2")
        .option("shardNames", shardNames)
        .mode("append");
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void concurrentAppendsLoseNoShardAndNoManifestEntry(String shardNames) throws Exception {
    String out = "appends-" + shardNames + "/";
    ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        List<Future<?>> writes = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          int r = round;
          writes.add(
              threads.submit(
                  () -> {
                    append(writer, r, shardNames).save(path(out));
                    return null;
                  }));
        }
        for (Future<?> f : writes) {
          f.get(); // every write succeeds: a commit waits for the one before it
        }
      }
    } finally {
      threads.shutdownNow();
    }
    int writes = ROUNDS * WRITERS;
    JsonNode manifest =
        new ObjectMapper().readTree(client.getBytes(bucket, out + "_manifest.json"));
    Set<String> listed = new HashSet<>();
    manifest.path("shards").forEach(s -> listed.add(s.path("name").asText()));
    assertEquals(4 * writes, manifest.path("shards").size(), "one entry per shard written");
    assertEquals(listed, shards(out), "the manifest lists every shard under the path, once");
    assertEquals(6L * writes, manifest.path("samples").asLong());
    List<String> keys =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("layout", "webdataset")
            .load(path(out))
            .select("__key__")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .collect(Collectors.toList());
    assertEquals(6 * writes, keys.size());
    assertEquals(6 * writes, new HashSet<>(keys).size(), "no shard replaced another");
    assertEquals(List.of(), names(out + "_temporary/"), "no lock or staged object left");
  }

  /**
   * Two saves that both find the path empty: under the commit lock the second sees the first's
   * objects, so errorifexists fails (nothing changed) and ignore does nothing; never both written.
   */
  @ParameterizedTest(name = "mode={0}")
  @ValueSource(strings = {"errorifexists", "ignore"})
  void racingSavesToAnEmptyPathDoNotMerge(String mode) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String out = "race-" + mode + "-" + round + "/";
      ExecutorService threads = Executors.newFixedThreadPool(2);
      List<Future<Exception>> writes = new ArrayList<>();
      try {
        for (int w = 0; w < 2; w++) {
          int writer = w;
          int r = round;
          writes.add(
              threads.submit(
                  () -> {
                    try {
                      append(writer, r, "sequential").mode(mode).save(path(out));
                      return null;
                    } catch (Exception e) {
                      return e;
                    }
                  }));
        }
        List<Exception> failures = new ArrayList<>();
        for (Future<Exception> f : writes) {
          if (f.get() != null) {
            failures.add(f.get());
          }
        }
        Set<String> writers = new HashSet<>();
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("layout", "webdataset")
            .load(path(out))
            .select("__key__")
            .collectAsList()
            .forEach(row -> writers.add(row.getString(0).substring(0, 2)));
        assertEquals(1, writers.size(), "the samples of exactly one writer: " + writers);
        assertEquals(4, shards(out).size());
        if (mode.equals("ignore")) {
          assertEquals(List.of(), failures);
        } else {
          assertEquals(1, failures.size(), "one of the two saves fails");
          String messages = ObjectReadIT.rootMessages(failures.get(0));
          assertTrue(
              messages.contains("appeared under it while this write ran")
                  || messages.contains("objects already exist under it"),
              messages);
        }
      } finally {
        threads.shutdownNow();
      }
    }
  }

  /**
   * An ignore save that found the path empty while another write filled it before its commit (the
   * commit is told so as the source tells it; the race itself is above) publishes nothing, and its
   * metrics say so.
   */
  @Test
  void ignoreSaveThatFindsThePathFilledAtCommitWritesNothingAndCountsNothing() throws Exception {
    String out = "filled-meanwhile/";
    append(0, 0, "sequential").save(path(out));
    List<String> before = names(out);
    Map<String, Long> metrics =
        WriteMetricsOf.save(
            spark,
            () ->
                append(1, 0, "sequential")
                    .format("io.sparkaistore.source.write.AisWriteProvider")
                    .option("spark-aistore.internal.saveModeOnEmptyPath", "Ignore")
                    .save(path(out)));
    assertEquals(before, names(out));
    assertEquals(0L, metrics.get("aisShardsWritten"), metrics.toString());
    assertEquals(0L, metrics.get("aisSamplesWritten"), metrics.toString());
    assertEquals(0L, metrics.get("aisBytesWritten"), metrics.toString());
  }

  @Test
  void lockOfADeadWriterFailsTheWriteNamingIt() throws Exception {
    String intent = "stale/_temporary/_commit/0000000000001-dead-query";
    client.put(bucket, intent, "{}".getBytes(StandardCharsets.UTF_8));
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    append(0, 0, "sequential")
                        .option("commitLockTimeout", "2s")
                        .save(path("stale/"))));
    assertTrue(
        messages.contains(
            "another write to it (query dead-query) holds the commit lock "
                + intent
                + " but has not renewed it for 2s"),
        messages);
    assertEquals(List.of(intent), names("stale/"), "nothing of the write remains");
    client.delete(bucket, intent);
    append(0, 0, "sequential").save(path("stale/"));
    assertEquals(4, shards("stale/").size());
  }

  private static Set<String> shards(String prefix) throws Exception {
    return names(prefix).stream()
        .filter(n -> n.substring(prefix.length()).startsWith("shard-") && !n.endsWith(".idx"))
        .collect(Collectors.toSet());
  }

  private static List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .collect(Collectors.toList());
  }
}
